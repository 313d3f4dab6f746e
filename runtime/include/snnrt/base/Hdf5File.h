//===- Hdf5File.h - Small RAII layer over the HDF5 C API --------*- C++ -*-===//
//
// Every snnc file (dataset, model, plan, NIR) is HDF5. This layer gives the
// runtime one place that opens, reads with type conversion (HDF5 casts the
// stored width to the requested one), writes atomically (temp file + rename)
// and turns HDF5 failures into Status messages that name the file and object.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/base/Status.h"

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace snnrt::h5 {

/// Owns one HDF5 identifier and closes it with the right H5*close.
class Handle {
public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  Handle(Handle &&o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Handle &operator=(Handle &&o) noexcept;
  ~Handle() { reset(); }
  void reset();
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

private:
  hid_t id_ = H5I_INVALID_HID;
};

template <typename T> hid_t nativeType();

/// Checks that an integer or floating-point datatype read from a file is one
/// HDF5 can convert: 1, 2, 4 or 8 bytes, its precision and offset inside
/// them, and a float's sign, exponent and mantissa fields inside its
/// precision. HDF5 1.10's soft conversions trust these fields (a corrupted
/// exponent size overran a stack buffer in H5T__bit_get_d: found by
/// fuzz-shd). Returns what is wrong, or an empty string.
std::string numericTypeProblem(hid_t type);

/// Checks, before HDF5 reads them, that the `rows` variable-length elements
/// of a contiguous dataset point at heap objects inside the file that hold
/// exactly length x elemSize bytes (HDF5 1.10 hangs or crashes on a corrupted
/// global heap). Other layouts pass unchecked.
Status checkVlenReferences(const std::string &path, const std::string &name,
                           hid_t file, hid_t dataset, uint64_t rows,
                           size_t elemSize);

/// An open HDF5 file. Paths of objects are absolute or relative to the root
/// ("labels", "spikes/times").
class File {
public:
  /// Opens an existing file read-only.
  static Expected<File> openRead(const std::string &path);
  /// Opens a file image in memory read-only (HDF5's core driver; HDF5 copies
  /// the bytes). `name` stands for the path in messages. The fuzz targets
  /// read their inputs this way, without temporary files.
  static Expected<File> openImage(const std::string &name, const void *data,
                                  size_t size);
  /// Creates `path + ".tmp.<pid>"`; commit() closes it and renames it over
  /// `path`, so readers never see a half-written file. A File destroyed
  /// without commit() removes its temp file.
  static Expected<File> createAtomic(const std::string &path);

  File(File &&) noexcept;
  File &operator=(File &&) noexcept;
  ~File();

  Status commit();
  const std::string &path() const { return path_; }

  bool exists(const std::string &name) const;
  bool isGroup(const std::string &name) const;
  /// Creates a group and any missing parents.
  Status createGroup(const std::string &name);
  /// Names of the direct children of a group, sorted.
  Expected<std::vector<std::string>> list(const std::string &group) const;

  /// Shape of a dataset (empty for a scalar).
  Expected<std::vector<uint64_t>> shape(const std::string &name) const;

  /// Writes a dataset of the given shape (product must equal data.size()).
  /// `gzipLevel` > 0 compresses in chunks.
  template <typename T>
  Status write(const std::string &name, const std::vector<T> &data,
               const std::vector<uint64_t> &shape, int gzipLevel = 0);
  template <typename T>
  Status write(const std::string &name, const std::vector<T> &data) {
    return write(name, data, {static_cast<uint64_t>(data.size())});
  }
  /// Reads a whole dataset converted to T; `shapeOut` receives its shape.
  template <typename T>
  Status read(const std::string &name, std::vector<T> &out,
              std::vector<uint64_t> *shapeOut = nullptr) const;
  /// Reads a scalar (or one-element) dataset.
  template <typename T>
  Status readScalar(const std::string &name, T &out) const;
  template <typename T> Status writeScalar(const std::string &name, T value);

  Status writeString(const std::string &name, const std::string &value);
  Status readString(const std::string &name, std::string &out) const;
  Status writeStrings(const std::string &name,
                      const std::vector<std::string> &values,
                      const std::vector<uint64_t> &shape = {});
  Status readStrings(const std::string &name, std::vector<std::string> &out,
                     std::vector<uint64_t> *shapeOut = nullptr) const;

  /// Attributes on an object ("/" for the file root).
  template <typename T>
  Status setAttr(const std::string &object, const std::string &attr, T value);
  template <typename T>
  Status getAttr(const std::string &object, const std::string &attr,
                 T &out) const;
  Status setAttrString(const std::string &object, const std::string &attr,
                       const std::string &value);
  Status getAttrString(const std::string &object, const std::string &attr,
                       std::string &out) const;
  bool hasAttr(const std::string &object, const std::string &attr) const;

  hid_t id() const { return file_.get(); }
  /// Whether the file carries snnc's checksums (written since they exist).
  bool checksummed() const { return checksummed_; }
  /// "corrupted: checksum mismatch in /object of FILE" when HDF5's last
  /// failure was a checksum; otherwise "FILE: 'object': what".
  Status fail(const std::string &object, const std::string &what) const;
  /// Refuses a dataset whose extent claims more elements than the file can
  /// hold, before anything is allocated for them.
  Status checkClaimedSize(const std::string &name, hid_t dataset,
                          uint64_t elements) const;

private:
  File() = default;
  Status checkChunkSizes(const std::string &name, hid_t dataset, hid_t dcpl,
                         uint64_t width, uint64_t fileSize) const;
  static Expected<File> openWith(const std::string &path, hid_t fapl);
  Status corrupted(const std::string &object) const;

  Handle file_;
  std::string path_;     ///< the path users named
  std::string tempPath_; ///< set while an atomic write is pending
  bool checksummed_ = false;
};

} // namespace snnrt::h5
