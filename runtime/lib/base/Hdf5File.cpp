//===- Hdf5File.cpp - Small RAII layer over the HDF5 C API ----------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/base/Hdf5Structure.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace snnrt::h5 {

namespace {
/// HDF5 prints its own error stack by default; we report through Status.
void silenceHdf5() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

uint64_t product(const std::vector<uint64_t> &shape) {
  uint64_t n = 1;
  for (uint64_t d : shape)
    n *= d;
  return n;
}

/// True when HDF5's current error stack holds a checksum failure: the
/// Fletcher32 filter of a dataset chunk, or the checksum of a metadata block
/// (object header, B-tree, superblock) in the 1.10 file format.
herr_t findChecksum(unsigned, const H5E_error2_t *err, void *found) {
  if (err->desc && std::strstr(err->desc, "checksum"))
    *static_cast<bool *>(found) = true;
  return 0;
}
bool checksumFailed() {
  bool found = false;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, findChecksum, &found);
  return found;
}

std::string objectPath(const std::string &name) {
  return name.empty() || name.front() != '/' ? "/" + name : name;
}

/// FNV-1a over each string's length and bytes: the content check of string
/// datasets, whose variable-length data lives in HDF5's global heap, which
/// carries no checksum of its own.
uint64_t stringsHash(const std::vector<std::string> &values) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const void *p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      h ^= static_cast<const unsigned char *>(p)[i];
      h *= 1099511628211ull;
    }
  };
  for (const auto &v : values) {
    uint64_t len = v.size();
    mix(&len, sizeof(len));
    mix(v.data(), v.size());
  }
  return h;
}

/// Group (and file root) creation properties: links and attributes stay in
/// the object header, under its checksum. HDF5's "dense" storage would move
/// them into a fractal heap whose data blocks carry no checksum (and which
/// HDF5 1.10 does not survive corrupted: a double free in H5Literate).
Handle compactGroupProps(hid_t cls) {
  Handle props(H5Pcreate(cls));
  H5Pset_link_phase_change(props.get(), 65535, 0);
  H5Pset_attr_phase_change(props.get(), 65535, 0);
  return props;
}

const char *const kChecksumsAttr = "snnc_checksums";
const char *const kStringsHashAttr = "snnc_fnv1a64";

Handle variableStringType() {
  Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}
} // namespace

/// A variable-length string's characters are one byte. A corrupted datatype
/// message can claim more (2^28 + 1 bytes in a fuzzed NIR file), and HDF5
/// 1.10 then converts each string through a buffer of length x that size:
/// gigabytes from a 39 KB file. Checked before any vlen string is read.
static bool oneByteCharacters(hid_t type) {
  h5::Handle base(H5Tget_super(type));
  return base.valid() && H5Tget_size(base.get()) == 1;
}

static uint64_t le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

std::string numericTypeProblem(hid_t type) {
  const H5T_class_t cls = H5Tget_class(type);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    return "not a number type";
  const size_t size = H5Tget_size(type);
  if (size != 1 && size != 2 && size != 4 && size != 8)
    return "numbers of " + std::to_string(size) + " bytes";
  const size_t bits = size * 8;
  const size_t precision = H5Tget_precision(type);
  const int offset = H5Tget_offset(type);
  if (precision == 0 || offset < 0 || size_t(offset) > bits ||
      precision > bits - size_t(offset))
    return "a precision of " + std::to_string(precision) +
           " bits at bit offset " + std::to_string(offset) + " in " +
           std::to_string(bits) + "-bit numbers";
  if (cls == H5T_INTEGER)
    return {};
  size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
  if (H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) < 0)
    return "unreadable floating-point fields";
  // Positions count from bit 0 of the element, as the fields lie inside the
  // precision (HDF5 format spec, "Datatype message", floating-point class).
  const size_t lo = size_t(offset), hi = size_t(offset) + precision;
  auto inside = [&](size_t pos, size_t n) { // fields are < 256 bits
    return pos >= lo && pos + n <= hi;
  };
  if (esize == 0 || msize == 0 || esize > 32 || msize > 64 ||
      !inside(epos, esize) || !inside(mpos, msize) || !inside(spos, 1))
    return "floating-point fields outside its " + std::to_string(precision) +
           " bits (sign " + std::to_string(spos) + ", exponent " +
           std::to_string(esize) + " bits at " + std::to_string(epos) +
           ", mantissa " + std::to_string(msize) + " bits at " +
           std::to_string(mpos) + ")";
  return {};
}

/// SHD and foreign NIR files come from h5py without checksums, and HDF5 1.10
/// does not survive every corrupted global heap (it loops forever or crashes
/// while converting variable-length data). So before HDF5 reads a contiguous
/// vlen dataset, check each element's heap reference on disk ourselves: the
/// heap collection exists inside the file ("GCOL", version 1, at least 4 KiB),
/// its object table parses, and the referenced object holds exactly
/// length x element-size bytes. Layout: HDF5 file format spec, "Global Heap"
/// and "Variable-length datatype" (4-byte length, 8-byte collection address,
/// 4-byte object index, with 8-byte offsets and lengths).
Status checkVlenReferences(const std::string &path, const std::string &name,
                           hid_t file, hid_t ds, uint64_t rows,
                           size_t elemSize) {
  auto bad = [&](const std::string &what) {
    return Status::error(path + ": '" + name + "': " + what +
                         " (corrupted file?)");
  };
  h5::Handle fcpl(H5Fget_create_plist(file));
  size_t sizeofAddr = 0, sizeofSize = 0;
  H5Pget_sizes(fcpl.get(), &sizeofAddr, &sizeofSize);
  haddr_t offset = H5Dget_offset(ds);
  if (sizeofAddr != 8 || sizeofSize != 8 || offset == HADDR_UNDEF)
    return Status::ok(); // not the h5py layout; HDF5's own checks only
  if (rows == 0)
    return Status::ok(); // no references (and no buffer to read them into)
  hsize_t fileSize = 0;
  H5Fget_filesize(file, &fileSize);
  const uint64_t recSize = 16;
  if (rows > (fileSize - std::min<uint64_t>(offset, fileSize)) / recSize)
    return bad("claims " + std::to_string(rows) +
               " rows, more than the file holds");
  // The bytes come from the file on disk, or from the image of a file
  // opened in memory (File::openImage: the core driver).
  std::ifstream in;
  std::vector<unsigned char> image;
  {
    h5::Handle fapl(H5Fget_access_plist(file));
    if (H5Pget_driver(fapl.get()) == H5FD_CORE) {
      ssize_t n = H5Fget_file_image(file, nullptr, 0);
      if (n < 0)
        return bad("cannot read the file image");
      image.resize(size_t(n));
      if (H5Fget_file_image(file, image.data(), image.size()) != n)
        return bad("cannot read the file image");
    } else {
      in.open(path, std::ios::binary);
    }
  }
  auto readAt = [&](uint64_t at, void *out, uint64_t n) -> bool {
    if (!in.is_open())
      return at <= image.size() && n <= image.size() - at &&
             (std::memcpy(out, image.data() + at, n), true);
    in.clear();
    return bool(in.seekg(std::streamoff(at))) &&
           bool(in.read(static_cast<char *>(out), std::streamsize(n)));
  };
  std::vector<unsigned char> refs(rows * recSize);
  if (!readAt(offset, refs.data(), refs.size()))
    return bad("cannot read its element references");
  // collection address -> (object index -> object size)
  std::map<uint64_t, std::map<uint64_t, uint64_t>> heaps;
  for (uint64_t r = 0; r < rows; ++r) {
    const unsigned char *e = refs.data() + r * recSize;
    uint64_t len = le(e, 4), addr = le(e + 4, 8), index = le(e + 12, 4);
    // Only a zero address is an empty (null) element: HDF5 1.10 reads the
    // heap object of any other reference, whatever its length (an empty row
    // naming object 458765 of a 24-object heap: SIGSEGV in H5HG_read, found
    // by fuzz-shd). So an empty row that names an object is checked too.
    if (addr == 0 && len == 0)
      continue;
    auto it = heaps.find(addr);
    if (it == heaps.end()) {
      std::map<uint64_t, uint64_t> objects;
      unsigned char head[16];
      if (addr >= fileSize || fileSize - addr < 4096 ||
          !readAt(addr, head, 16) || std::memcmp(head, "GCOL", 4) != 0 ||
          head[4] != 1)
        return bad("row " + std::to_string(r) +
                   " points outside any heap collection");
      uint64_t size = le(head + 8, 8);
      if (size < 4096 || size > fileSize - addr)
        return bad("row " + std::to_string(r) + ": heap collection of " +
                   std::to_string(size) + " bytes does not fit the file");
      std::vector<unsigned char> col(size);
      if (!readAt(addr, col.data(), size))
        return bad("cannot read a heap collection");
      for (uint64_t p = 16; p + 16 <= size;) {
        uint64_t idx = le(&col[p], 2), objSize = le(&col[p + 8], 8);
        if (idx == 0) {
          // Free space: the rest of the collection, header included (a
          // different size sent HDF5's heap cache into an endless loop).
          if (objSize != size - p)
            return bad("heap collection at " + std::to_string(addr) +
                       " has a malformed free-space entry");
          break;
        }
        if (objSize > size - p - 16 || !objects.emplace(idx, objSize).second)
          return bad("heap collection at " + std::to_string(addr) +
                     " has a malformed object table");
        p += 16 + ((objSize + 7) / 8) * 8;
      }
      it = heaps.emplace(addr, std::move(objects)).first;
    }
    auto obj = it->second.find(index);
    uint64_t bytes;
    if (obj == it->second.end() ||
        __builtin_mul_overflow(len, uint64_t(elemSize), &bytes) ||
        obj->second != bytes)
      return bad("row " + std::to_string(r) + " claims " + std::to_string(len) +
                 " elements that its heap object does not hold");
  }
  return Status::ok();
}

Handle &Handle::operator=(Handle &&o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() {
  if (id_ < 0)
    return;
  switch (H5Iget_type(id_)) {
  case H5I_FILE:
    H5Fclose(id_);
    break;
  case H5I_GROUP:
    H5Gclose(id_);
    break;
  case H5I_DATASET:
    H5Dclose(id_);
    break;
  case H5I_DATASPACE:
    H5Sclose(id_);
    break;
  case H5I_DATATYPE:
    H5Tclose(id_);
    break;
  case H5I_ATTR:
    H5Aclose(id_);
    break;
  case H5I_GENPROP_LST:
    H5Pclose(id_);
    break;
  default:
    H5Idec_ref(id_);
  }
  id_ = H5I_INVALID_HID;
}

template <> hid_t nativeType<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t nativeType<double>() { return H5T_NATIVE_DOUBLE; }
template <> hid_t nativeType<int8_t>() { return H5T_NATIVE_INT8; }
template <> hid_t nativeType<uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t nativeType<int16_t>() { return H5T_NATIVE_INT16; }
template <> hid_t nativeType<uint16_t>() { return H5T_NATIVE_UINT16; }
template <> hid_t nativeType<int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t nativeType<uint32_t>() { return H5T_NATIVE_UINT32; }
template <> hid_t nativeType<int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t nativeType<uint64_t>() { return H5T_NATIVE_UINT64; }

Expected<File> File::openRead(const std::string &path) {
  silenceHdf5();
  if (access(path.c_str(), R_OK) != 0)
    return Status::error(path + ": no such file or not readable",
                         ErrorKind::Io);
  if (H5Fis_hdf5(path.c_str()) <= 0)
    return Status::error(path + ": not an HDF5 file", ErrorKind::BadInput);
  {
    // Before HDF5 parses the metadata: sizes it would trust (Hdf5Structure.h).
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      if (fd >= 0)
        ::close(fd);
      return Status::error(path + ": cannot read", ErrorKind::Io);
    }
    Status checked = checkStructure(
        path, uint64_t(st.st_size), [fd](uint64_t at, void *out, uint64_t n) {
          auto *p = static_cast<char *>(out);
          while (n > 0) {
            ssize_t got = ::pread(fd, p, n, off_t(at));
            if (got <= 0)
              return false;
            p += got;
            at += uint64_t(got);
            n -= uint64_t(got);
          }
          return true;
        });
    ::close(fd);
    SNNRT_TRY(checked);
  }
  return openWith(path, H5P_DEFAULT);
}

Expected<File> File::openImage(const std::string &name, const void *data,
                               size_t size) {
  silenceHdf5();
  // The smallest superblock (version 0) is 56 bytes; HDF5 would refuse a
  // shorter image too, after copying it.
  if (size < 56)
    return Status::error(name + ": not an HDF5 file", ErrorKind::BadInput);
  SNNRT_TRY(checkStructure(
      name, size, [data, size](uint64_t at, void *out, uint64_t n) {
        if (at > size || n > size - at)
          return false;
        std::memcpy(out, static_cast<const char *>(data) + at, n);
        return true;
      }));
  // The core driver reads the image HDF5 copies here, and never writes a
  // file (backing store off).
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (H5Pset_fapl_core(fapl.get(), 1 << 16, false) < 0 ||
      H5Pset_file_image(fapl.get(), const_cast<void *>(data), size) < 0)
    return Status::error(name + ": cannot hand the image to HDF5",
                         ErrorKind::Io);
  return openWith(name, fapl.get());
}

Expected<File> File::openWith(const std::string &path, hid_t fapl) {
  File f;
  f.path_ = path;
  f.file_ = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl));
  if (!f.file_.valid()) {
    if (checksumFailed())
      return Status::error("corrupted: checksum mismatch in the file "
                           "metadata of " +
                           path);
    return Status::error(path + ": cannot open HDF5 file", ErrorKind::Io);
  }
  f.checksummed_ = f.hasAttr("/", kChecksumsAttr);
  std::string format;
  if (!f.checksummed_ && f.hasAttr("/", "format") &&
      f.getAttrString("/", "format", format) &&
      (format == "snnc-model" || format == "snnc-plan" ||
       format == "snnc-dataset")) {
    // Files written before snnc added checksums still read; corruption in
    // them goes unnoticed, which the user should hear about once.
    static std::once_flag noted;
    std::call_once(noted, [&] {
      std::fprintf(stderr,
                   "snnc: note: %s carries no checksums (written by an older "
                   "snnc); corruption in it cannot be detected. Writing it "
                   "again adds them.\n",
                   path.c_str());
    });
  }
  return f;
}

Expected<File> File::createAtomic(const std::string &path) {
  silenceHdf5();
  File f;
  f.path_ = path;
  f.tempPath_ = path + ".tmp." + std::to_string(getpid());
  // The 1.10 file format checksums every metadata block (superblock,
  // object headers with their attributes and compact data, chunk indices);
  // write() adds Fletcher32 to the raw data of every dataset.
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_LATEST);
  Handle fcpl = compactGroupProps(H5P_FILE_CREATE);
  f.file_ = Handle(
      H5Fcreate(f.tempPath_.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()));
  if (!f.file_.valid()) {
    f.tempPath_.clear();
    return Status::error(
        path + ": cannot create file (is the folder writable?)", ErrorKind::Io);
  }
  f.checksummed_ = true;
  SNNRT_TRY(f.setAttr<int32_t>("/", kChecksumsAttr, 1));
  return f;
}

File::File(File &&o) noexcept
    : file_(std::move(o.file_)), path_(std::move(o.path_)),
      tempPath_(std::move(o.tempPath_)), checksummed_(o.checksummed_) {
  o.tempPath_.clear();
}

File &File::operator=(File &&o) noexcept {
  if (this != &o) {
    this->~File();
    new (this) File(std::move(o));
  }
  return *this;
}

File::~File() {
  file_.reset();
  if (!tempPath_.empty())
    std::remove(tempPath_.c_str());
}

Status File::commit() {
  if (tempPath_.empty())
    return Status::ok();
  if (H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) < 0)
    return Status::error(path_ + ": flushing failed", ErrorKind::Io);
  file_.reset();
  if (std::rename(tempPath_.c_str(), path_.c_str()) != 0) {
    std::remove(tempPath_.c_str());
    tempPath_.clear();
    return Status::error(path_ + ": cannot rename temporary file into place",
                         ErrorKind::Io);
  }
  tempPath_.clear();
  return Status::ok();
}

Status File::fail(const std::string &object, const std::string &what) const {
  // Whatever was being done, a checksum failure underneath is the real cause.
  if (checksumFailed())
    return corrupted(object);
  return Status::error(path_ + ": '" + object + "': " + what);
}

Status File::corrupted(const std::string &object) const {
  return Status::error("corrupted: checksum mismatch in " + objectPath(object) +
                       " of " + path_);
}

// A chunk stored without its filters (none in the pipeline, or each one
// skipped by the chunk's filter mask) is copied as it is: HDF5 1.10 reads its
// stored size and then copies a whole chunk out of it (a 14-byte chunk of a
// 16-byte chunk shape: heap-buffer-overflow in H5VM_memcpyvv, found by
// fuzz-nir on 7 Dec). So such a chunk must hold the chunk's bytes and lie in
// the file. (Filtered chunks are sized by their filter's output.)
Status File::checkChunkSizes(const std::string &name, hid_t ds, hid_t dcpl,
                             uint64_t width, uint64_t fileSize) const {
  hsize_t dims[H5S_MAX_RANK];
  const int rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, dims);
  if (rank <= 0)
    return fail(name, "a chunked layout without a chunk shape (corrupted?)");
  uint64_t chunkBytes = width;
  for (int d = 0; d < rank; ++d)
    if (__builtin_mul_overflow(chunkBytes, uint64_t(dims[d]), &chunkBytes))
      return fail(name, "a chunk shape too large to address (corrupted?)");
  const int filters = H5Pget_nfilters(dcpl);
  const unsigned all =
      filters >= 32 ? ~0u : (filters <= 0 ? 0u : (1u << filters) - 1);
  // HDF5 1.10 wants the dataset's own dataspace here (H5S_ALL fails).
  Handle space(H5Dget_space(ds));
  hsize_t chunks = 0;
  if (H5Dget_num_chunks(ds, space.get(), &chunks) < 0)
    return fail(name, "unreadable chunk index (corrupted?)");
  for (hsize_t i = 0; i < chunks; ++i) {
    hsize_t offsets[H5S_MAX_RANK];
    unsigned mask = 0;
    haddr_t addr = HADDR_UNDEF;
    hsize_t size = 0;
    if (H5Dget_chunk_info(ds, space.get(), i, offsets, &mask, &addr, &size) < 0)
      return fail(name,
                  "unreadable chunk " + std::to_string(i) + " (corrupted?)");
    if (addr == HADDR_UNDEF)
      continue;
    if (addr > fileSize || size > fileSize - addr)
      return fail(name, "chunk " + std::to_string(i) + " (" +
                            std::to_string(size) + " bytes at offset " +
                            std::to_string(addr) +
                            ") lies outside the file of " +
                            std::to_string(fileSize) + " bytes (corrupted?)");
    if ((mask & all) == all && size < chunkBytes)
      return fail(name, "chunk " + std::to_string(i) +
                            " is stored unfiltered in " + std::to_string(size) +
                            " bytes, its shape needs " +
                            std::to_string(chunkBytes) + " (corrupted?)");
  }
  return Status::ok();
}

Status File::checkClaimedSize(const std::string &name, hid_t ds,
                              uint64_t elements) const {
  // A corrupted dataspace can claim any extent; refuse what the file cannot
  // hold before allocating for it. Compressed chunks hold at most ~1032x
  // their size (deflate's limit); 1 MiB covers chunk rounding.
  Handle type(H5Dget_type(ds));
  uint64_t width = std::max<size_t>(H5Tget_size(type.get()), 1);
  Handle dcpl(H5Dget_create_plist(ds));
  bool deflate = false;
  if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
    unsigned flags;
    size_t nelmts = 0;
    unsigned config;
    deflate = H5Pget_filter_by_id2(dcpl.get(), H5Z_FILTER_DEFLATE, &flags,
                                   &nelmts, nullptr, 0, nullptr, &config) >= 0;
  }
  hsize_t fileSize = 0;
  H5Fget_filesize(file_.get(), &fileSize);
  uint64_t limit = uint64_t(fileSize) * (deflate ? 1100 : 1) + (1u << 20);
  uint64_t bytes;
  if (__builtin_mul_overflow(elements, width, &bytes) || bytes > limit)
    return Status::error(
        path_ + ": '" + name + "': claims " + std::to_string(elements) +
        " elements, more than the file of " + std::to_string(fileSize) +
        " bytes holds (corrupted?)");
  // The layout message names where the data lies and how many bytes it
  // takes; HDF5 1.10 copies `elements` elements from there without checking
  // (a compact buffer or a contiguous block shorter than the extent, or one
  // past the end of the file: SIGSEGV in H5VM_memcpyvv, found by fuzz-shd).
  // On disk a variable-length element is a length, a heap address and an
  // index, whatever its size in memory.
  H5D_layout_t layout = H5Pget_layout(dcpl.get());
  if (layout == H5D_CHUNKED)
    return checkChunkSizes(name, ds, dcpl.get(), width, fileSize);
  if (layout != H5D_CONTIGUOUS && layout != H5D_COMPACT)
    return Status::ok();
  uint64_t diskWidth = width;
  if (H5Tget_class(type.get()) == H5T_VLEN ||
      H5Tis_variable_str(type.get()) > 0) {
    Handle fcpl(H5Fget_create_plist(file_.get()));
    size_t sizeofAddr = 8, sizeofSize = 8;
    H5Pget_sizes(fcpl.get(), &sizeofAddr, &sizeofSize);
    diskWidth = 4 + sizeofAddr + 4;
  }
  uint64_t needed = elements * diskWidth; // <= limit x 16: no overflow
  uint64_t storage = H5Dget_storage_size(ds);
  haddr_t offset = H5Dget_offset(ds);
  bool outside = layout == H5D_CONTIGUOUS && offset != HADDR_UNDEF &&
                 (offset > fileSize || storage > fileSize - offset);
  bool allocated = layout == H5D_COMPACT || offset != HADDR_UNDEF;
  if (outside || (allocated && storage < needed))
    return Status::error(
        path_ + ": '" + name + "': its data (" + std::to_string(storage) +
        " bytes" +
        (outside ? " at offset " + std::to_string(offset) : std::string()) +
        ") " +
        (outside
             ? "lies outside the file of " + std::to_string(fileSize) + " bytes"
             : "is shorter than its " + std::to_string(elements) +
                   " elements") +
        " (corrupted?)");
  return Status::ok();
}

bool File::exists(const std::string &name) const {
  // Check each path component: H5Lexists fails on a missing intermediate.
  std::string prefix;
  size_t start = name.front() == '/' ? 1 : 0;
  if (name == "/")
    return true;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part =
        name.substr(0, slash == std::string::npos ? name.size() : slash);
    if (H5Lexists(file_.get(), part.c_str(), H5P_DEFAULT) <= 0)
      return false;
    if (slash == std::string::npos)
      break;
    start = slash + 1;
  }
  return H5Oexists_by_name(file_.get(), name.c_str(), H5P_DEFAULT) > 0;
}

bool File::isGroup(const std::string &name) const {
  if (!exists(name))
    return false;
  H5O_info_t info;
  if (H5Oget_info_by_name(file_.get(), name.c_str(), &info, H5P_DEFAULT) < 0)
    return false;
  return info.type == H5O_TYPE_GROUP;
}

Status File::createGroup(const std::string &name) {
  if (isGroup(name))
    return Status::ok();
  // Parents first, each with the compact properties (HDF5's own creation of
  // intermediate groups would give them the defaults).
  size_t slash = name.rfind('/');
  if (slash != std::string::npos && slash > 0)
    SNNRT_TRY(createGroup(name.substr(0, slash)));
  Handle gcpl = compactGroupProps(H5P_GROUP_CREATE);
  Handle group(H5Gcreate2(file_.get(), name.c_str(), H5P_DEFAULT, gcpl.get(),
                          H5P_DEFAULT));
  if (!group.valid())
    return fail(name, "cannot create group");
  return Status::ok();
}

namespace {
herr_t collectName(hid_t, const char *name, const H5L_info_t *, void *data) {
  static_cast<std::vector<std::string> *>(data)->push_back(name);
  return 0;
}
} // namespace

Expected<std::vector<std::string>> File::list(const std::string &group) const {
  if (!isGroup(group))
    return fail(group, "missing group");
  std::vector<std::string> names;
  Handle g(H5Gopen2(file_.get(), group.c_str(), H5P_DEFAULT));
  if (H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collectName,
                 &names) < 0)
    return fail(group, "cannot list group");
  return names;
}

Expected<std::vector<uint64_t>> File::shape(const std::string &name) const {
  if (!exists(name))
    return fail(name, "missing dataset");
  Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT));
  if (!ds.valid())
    return fail(name, "not a dataset");
  Handle space(H5Dget_space(ds.get()));
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0)
    return fail(name, "unreadable dataspace");
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  uint64_t n = 1;
  for (hsize_t d : dims)
    if (__builtin_mul_overflow(n, uint64_t(d), &n))
      return fail(name, "claims more than 2^64 elements (corrupted?)");
  return std::vector<uint64_t>(dims.begin(), dims.end());
}

template <typename T>
Status File::write(const std::string &name, const std::vector<T> &data,
                   const std::vector<uint64_t> &shape, int gzipLevel) {
  if (product(shape) != data.size())
    return fail(name, "internal: shape does not match data size");
  size_t slash = name.rfind('/');
  if (slash != std::string::npos && slash > 0)
    SNNRT_TRY(createGroup(name.substr(0, slash)));
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(
      H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  Handle props(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_attr_phase_change(props.get(), 65535, 0);
  if (!data.empty() && !dims.empty()) {
    // Chunked, so that the Fletcher32 filter checks every chunk on read
    // (a flipped weight bit is an error, not a different network).
    std::vector<hsize_t> chunk(dims);
    // Chunk along the first axis, about 1 MiB per chunk.
    hsize_t rowElems = 1;
    for (size_t i = 1; i < chunk.size(); ++i)
      rowElems *= chunk[i];
    hsize_t rows = std::max<hsize_t>(1, (1u << 20) / sizeof(T) /
                                            std::max<hsize_t>(rowElems, 1));
    chunk[0] = std::min(chunk[0], rows);
    for (auto &c : chunk)
      c = std::max<hsize_t>(c, 1);
    H5Pset_chunk(props.get(), static_cast<int>(chunk.size()), chunk.data());
    if (gzipLevel > 0)
      H5Pset_deflate(props.get(), static_cast<unsigned>(gzipLevel));
    // Last on write, so first on read: the checksum is of the stored bytes.
    H5Pset_fletcher32(props.get());
  } else {
    // Scalars and empty datasets keep their data in the object header,
    // whose checksum covers it.
    H5Pset_layout(props.get(), H5D_COMPACT);
  }
  Handle ds(H5Dcreate2(file_.get(), name.c_str(), nativeType<T>(), space.get(),
                       H5P_DEFAULT, props.get(), H5P_DEFAULT));
  if (!ds.valid())
    return fail(name, "cannot create dataset");
  if (!data.empty() && H5Dwrite(ds.get(), nativeType<T>(), H5S_ALL, H5S_ALL,
                                H5P_DEFAULT, data.data()) < 0)
    return Status::error(path_ + ": '" + name + "': write failed",
                         ErrorKind::Io);
  return Status::ok();
}

template <typename T>
Status File::read(const std::string &name, std::vector<T> &out,
                  std::vector<uint64_t> *shapeOut) const {
  auto dims = shape(name);
  if (!dims)
    return dims.status();
  Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT));
  Handle type(H5Dget_type(ds.get()));
  H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    return fail(name, "expected a numeric dataset");
  if (auto problem = numericTypeProblem(type.get()); !problem.empty())
    return fail(name, "corrupted number type: " + problem);
  SNNRT_TRY(checkClaimedSize(name, ds.get(), product(*dims)));
  out.resize(product(*dims));
  if (!out.empty() && H5Dread(ds.get(), nativeType<T>(), H5S_ALL, H5S_ALL,
                              H5P_DEFAULT, out.data()) < 0)
    return fail(name, "read failed (truncated file or unconvertible type)");
  if (shapeOut)
    *shapeOut = *dims;
  return Status::ok();
}

template <typename T>
Status File::readScalar(const std::string &name, T &out) const {
  std::vector<T> values;
  SNNRT_TRY(read(name, values));
  if (values.size() != 1)
    return fail(name, "expected a single value, found " +
                          std::to_string(values.size()));
  out = values[0];
  return Status::ok();
}

template <typename T> Status File::writeScalar(const std::string &name, T v) {
  return write(name, std::vector<T>{v}, {});
}

Status File::writeString(const std::string &name, const std::string &value) {
  return writeStrings(name, {value}, {});
}

Status File::readString(const std::string &name, std::string &out) const {
  std::vector<std::string> values;
  SNNRT_TRY(readStrings(name, values));
  if (values.size() != 1)
    return fail(name, "expected one string");
  out = values[0];
  return Status::ok();
}

Status File::writeStrings(const std::string &name,
                          const std::vector<std::string> &values,
                          const std::vector<uint64_t> &shape) {
  std::vector<uint64_t> dims = shape;
  if (dims.empty() && values.size() != 1)
    dims = {values.size()};
  if (product(dims) != values.size())
    return fail(name, "internal: shape does not match string count");
  size_t slash = name.rfind('/');
  if (slash != std::string::npos && slash > 0)
    SNNRT_TRY(createGroup(name.substr(0, slash)));
  // A fixed array: HDF5 ranks are small, and GCC 12 misreads a converting
  // vector copy here (-Wfree-nonheap-object false positive).
  hsize_t hdims[H5S_MAX_RANK];
  if (dims.size() > H5S_MAX_RANK)
    return fail(name, "internal: rank above HDF5's maximum");
  for (size_t i = 0; i < dims.size(); ++i)
    hdims[i] = dims[i];
  Handle space(dims.empty() ? H5Screate(H5S_SCALAR)
                            : H5Screate_simple(static_cast<int>(dims.size()),
                                               hdims, nullptr));
  // Fixed-length strings: their bytes are the dataset's raw data, under the
  // object header's checksum (compact) or Fletcher32 (chunked). Variable-
  // length strings would sit in HDF5's global heap, which has no checksum
  // and whose corruption crashes HDF5 1.10 (H5HG_read) before any check of
  // ours could run.
  size_t width = 1;
  for (const auto &v : values)
    width = std::max(width, v.size() + 1);
  Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), width);
  H5Tset_strpad(type.get(), H5T_STR_NULLTERM);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_attr_phase_change(dcpl.get(), 65535, 0);
  if (dims.empty() || values.empty() || values.size() * width <= 32768) {
    H5Pset_layout(dcpl.get(), H5D_COMPACT);
  } else {
    std::vector<hsize_t> chunk(hdims, hdims + dims.size());
    chunk[0] =
        std::min<hsize_t>(chunk[0], std::max<hsize_t>(1, (1u << 20) / width));
    for (auto &c : chunk)
      c = std::max<hsize_t>(c, 1);
    H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
    H5Pset_fletcher32(dcpl.get());
  }
  Handle ds(H5Dcreate2(file_.get(), name.c_str(), type.get(), space.get(),
                       H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
  if (!ds.valid())
    return fail(name, "cannot create dataset");
  std::vector<char> buf(values.size() * width, '\0');
  for (size_t i = 0; i < values.size(); ++i)
    std::memcpy(buf.data() + i * width, values[i].data(), values[i].size());
  if (!values.empty() && H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL,
                                  H5P_DEFAULT, buf.data()) < 0)
    return Status::error(path_ + ": '" + name + "': write failed",
                         ErrorKind::Io);
  // A second check of the content, independent of the storage layout.
  return setAttr<uint64_t>(name, kStringsHashAttr, stringsHash(values));
}

Status File::readStrings(const std::string &name, std::vector<std::string> &out,
                         std::vector<uint64_t> *shapeOut) const {
  auto dims = shape(name);
  if (!dims)
    return dims.status();
  Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT));
  Handle type(H5Dget_type(ds.get()));
  if (H5Tget_class(type.get()) != H5T_STRING)
    return fail(name, "expected a string dataset");
  size_t n = product(*dims);
  SNNRT_TRY(checkClaimedSize(name, ds.get(), n));
  out.clear();
  if (H5Tis_variable_str(type.get()) > 0) {
    if (!oneByteCharacters(type.get()))
      return fail(name, "variable-length strings whose characters are not "
                        "one byte (corrupted datatype?)");
    SNNRT_TRY(checkVlenReferences(path_, name, file_.get(), ds.get(), n, 1));
    Handle memType = variableStringType();
    std::vector<char *> ptrs(n, nullptr);
    if (n && H5Dread(ds.get(), memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                     ptrs.data()) < 0)
      return fail(name, "read failed");
    for (char *p : ptrs)
      out.emplace_back(p ? p : "");
    Handle space(H5Dget_space(ds.get()));
    H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, ptrs.data());
  } else {
    size_t width = H5Tget_size(type.get());
    std::vector<char> buf(n * width + 1, '\0');
    if (n && H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                     buf.data()) < 0)
      return fail(name, "read failed");
    bool spacePad = H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD;
    for (size_t i = 0; i < n; ++i) {
      std::string s(buf.data() + i * width, width);
      if (spacePad)
        s.erase(s.find_last_not_of(' ') + 1);
      else
        s.resize(std::strlen(s.c_str()));
      out.push_back(s);
    }
  }
  if (hasAttr(name, kStringsHashAttr)) {
    uint64_t expected = 0;
    SNNRT_TRY(getAttr<uint64_t>(name, kStringsHashAttr, expected));
    if (stringsHash(out) != expected)
      return corrupted(name);
  }
  if (shapeOut)
    *shapeOut = *dims;
  return Status::ok();
}

bool File::hasAttr(const std::string &object, const std::string &attr) const {
  if (!exists(object))
    return false;
  return H5Aexists_by_name(file_.get(), object.c_str(), attr.c_str(),
                           H5P_DEFAULT) > 0;
}

template <typename T>
Status File::setAttr(const std::string &object, const std::string &attr,
                     T value) {
  if (hasAttr(object, attr))
    H5Adelete_by_name(file_.get(), object.c_str(), attr.c_str(), H5P_DEFAULT);
  Handle space(H5Screate(H5S_SCALAR));
  Handle a(H5Acreate_by_name(file_.get(), object.c_str(), attr.c_str(),
                             nativeType<T>(), space.get(), H5P_DEFAULT,
                             H5P_DEFAULT, H5P_DEFAULT));
  if (!a.valid() || H5Awrite(a.get(), nativeType<T>(), &value) < 0)
    return fail(object, "cannot write attribute '" + attr + "'");
  return Status::ok();
}

template <typename T>
Status File::getAttr(const std::string &object, const std::string &attr,
                     T &out) const {
  if (!hasAttr(object, attr))
    return fail(object, "missing attribute '" + attr + "'");
  Handle a(H5Aopen_by_name(file_.get(), object.c_str(), attr.c_str(),
                           H5P_DEFAULT, H5P_DEFAULT));
  Handle space(H5Aget_space(a.get()));
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    return fail(object, "attribute '" + attr + "' is not a single value");
  Handle type(H5Aget_type(a.get()));
  H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    return fail(object, "attribute '" + attr + "' is not numeric");
  if (auto problem = numericTypeProblem(type.get()); !problem.empty())
    return fail(object,
                "attribute '" + attr + "': corrupted number type: " + problem);
  if (H5Aread(a.get(), nativeType<T>(), &out) < 0)
    return fail(object, "attribute '" + attr + "' is not numeric");
  return Status::ok();
}

Status File::setAttrString(const std::string &object, const std::string &attr,
                           const std::string &value) {
  if (hasAttr(object, attr))
    H5Adelete_by_name(file_.get(), object.c_str(), attr.c_str(), H5P_DEFAULT);
  Handle space(H5Screate(H5S_SCALAR));
  // Fixed length: the bytes live in the object header, under its checksum
  // (a variable-length string would sit in the unchecked global heap).
  Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), value.size() + 1);
  H5Tset_strpad(type.get(), H5T_STR_NULLTERM);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle a(H5Acreate_by_name(file_.get(), object.c_str(), attr.c_str(),
                             type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT));
  if (!a.valid() || H5Awrite(a.get(), type.get(), value.c_str()) < 0)
    return fail(object, "cannot write attribute '" + attr + "'");
  return Status::ok();
}

Status File::getAttrString(const std::string &object, const std::string &attr,
                           std::string &out) const {
  if (!hasAttr(object, attr))
    return fail(object, "missing attribute '" + attr + "'");
  Handle a(H5Aopen_by_name(file_.get(), object.c_str(), attr.c_str(),
                           H5P_DEFAULT, H5P_DEFAULT));
  Handle type(H5Aget_type(a.get()));
  if (H5Tget_class(type.get()) != H5T_STRING)
    return fail(object, "attribute '" + attr + "' is not a string");
  // One string: HDF5 has checked that its bytes fit the attribute's message,
  // which bounds the buffer below (an empty dataspace would not, and its
  // type may claim 4 GiB per string).
  Handle space(H5Aget_space(a.get()));
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    return fail(object, "attribute '" + attr + "' is not a single string");
  if (H5Tis_variable_str(type.get()) > 0) {
    if (!oneByteCharacters(type.get()))
      return fail(object, "attribute '" + attr +
                              "': a variable-length string whose characters "
                              "are not one byte (corrupted datatype?)");
    Handle memType = variableStringType();
    char *p = nullptr;
    if (H5Aread(a.get(), memType.get(), &p) < 0)
      return fail(object, "cannot read attribute '" + attr + "'");
    out = p ? p : "";
    H5free_memory(p);
  } else {
    std::vector<char> buf(H5Tget_size(type.get()) + 1, '\0');
    if (H5Aread(a.get(), type.get(), buf.data()) < 0)
      return fail(object, "cannot read attribute '" + attr + "'");
    out = buf.data();
  }
  return Status::ok();
}

#define SNNRT_INSTANTIATE(T)                                                   \
  template Status File::write<T>(const std::string &, const std::vector<T> &,  \
                                 const std::vector<uint64_t> &, int);          \
  template Status File::read<T>(const std::string &, std::vector<T> &,         \
                                std::vector<uint64_t> *) const;                \
  template Status File::readScalar<T>(const std::string &, T &) const;         \
  template Status File::writeScalar<T>(const std::string &, T);                \
  template Status File::setAttr<T>(const std::string &, const std::string &,   \
                                   T);                                         \
  template Status File::getAttr<T>(const std::string &, const std::string &,   \
                                   T &) const;
SNNRT_INSTANTIATE(float)
SNNRT_INSTANTIATE(double)
SNNRT_INSTANTIATE(int8_t)
SNNRT_INSTANTIATE(uint8_t)
SNNRT_INSTANTIATE(int16_t)
SNNRT_INSTANTIATE(uint16_t)
SNNRT_INSTANTIATE(int32_t)
SNNRT_INSTANTIATE(uint32_t)
SNNRT_INSTANTIATE(int64_t)
SNNRT_INSTANTIATE(uint64_t)
#undef SNNRT_INSTANTIATE

} // namespace snnrt::h5
