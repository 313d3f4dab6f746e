//===- FileKind.cpp - What kind of file a path names ----------------------===//

#include "snnrt/base/FileKind.h"
#include "snnrt/base/Hdf5File.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace snnrt {

namespace {

bool startsWith(const std::string &s, const char *prefix, size_t n) {
  return s.size() >= n && std::memcmp(s.data(), prefix, n) == 0;
}

FileKind hdf5Kind(const std::string &path) {
  auto file = snnrt::h5::File::openRead(path);
  if (!file)
    return FileKind::Hdf5;
  std::string format;
  if (file->hasAttr("/", "format") &&
      file->getAttrString("/", "format", format)) {
    if (format == "snnc-dataset")
      return FileKind::Dataset;
    if (format == "snnc-model")
      return file->isGroup("checkpoint") ? FileKind::Checkpoint
                                         : FileKind::Model;
    if (format == "snnc-plan")
      return FileKind::Plan;
    if (format == "snnc-spikes")
      return FileKind::Spikes;
  }
  if (file->isGroup("node"))
    return FileKind::Nir;
  if (file->isGroup("spikes") && file->exists("labels"))
    return FileKind::Shd;
  return FileKind::Hdf5;
}

} // namespace

FileKind fileKind(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return errno == ENOENT || errno == ENOTDIR ? FileKind::Missing
                                               : FileKind::Unreadable;
  if (S_ISDIR(st.st_mode))
    return FileKind::Directory;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return FileKind::Unreadable;
  std::string head(4096, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(in.gcount()));
  if (startsWith(head, "\x89HDF\r\n\x1a\n", 8))
    return hdf5Kind(path);
  if (startsWith(head,
                 "ML\xef"
                 "R",
                 4))
    return FileKind::Mlir;
  if (startsWith(head, "RIFF", 4) || startsWith(head, "fLaC", 4) ||
      startsWith(head, "OggS", 4) || startsWith(head, "FORM", 4))
    return FileKind::Audio;
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (head[first] == '{' || head[first] == '['))
    return FileKind::Json;
  if (head.find("snn.network") != std::string::npos ||
      head.find("snnhw.system") != std::string::npos)
    return FileKind::Mlir;
  // A large MLIR file may hold its first op beyond 4 KiB (after a long
  // comment); look through the whole file for text files only.
  if (head.find('\0') == std::string::npos) {
    std::ifstream all(path);
    std::string line;
    while (std::getline(all, line))
      if (line.find("snn.network") != std::string::npos)
        return FileKind::Mlir;
  }
  return FileKind::Other;
}

const char *describeKind(FileKind kind) {
  switch (kind) {
  case FileKind::Missing:
    return "no such file";
  case FileKind::Directory:
    return "a folder";
  case FileKind::Unreadable:
    return "not readable";
  case FileKind::Dataset:
    return "a snnc dataset";
  case FileKind::Model:
    return "a snnc model";
  case FileKind::Checkpoint:
    return "a snnc training checkpoint";
  case FileKind::Plan:
    return "a snnc plan";
  case FileKind::Spikes:
    return "a snnc spike recording";
  case FileKind::Nir:
    return "a NIR graph";
  case FileKind::Shd:
    return "a Spiking Heidelberg Digits file";
  case FileKind::Hdf5:
    return "an HDF5 file snnc does not know";
  case FileKind::Mlir:
    return "an MLIR file";
  case FileKind::Json:
    return "a JSON file";
  case FileKind::Audio:
    return "an audio file";
  case FileKind::Other:
    return "an unknown file";
  }
  return "an unknown file";
}

Status expectFile(const std::string &path,
                  std::initializer_list<FileKind> accepted,
                  const std::string &noun, const std::string &expected) {
  FileKind kind = fileKind(path);
  for (FileKind k : accepted)
    if (k == kind)
      return Status::ok();
  if (kind == FileKind::Hdf5) {
    // An HDF5 file that does not open says why (a corrupted local heap,
    // a checksum mismatch) rather than only "snnc does not know it".
    auto file = h5::File::openRead(path);
    if (!file)
      return file.status();
  }
  switch (kind) {
  case FileKind::Missing:
    return Status::error(path + ": no such file", ErrorKind::Io);
  case FileKind::Unreadable:
    return Status::error(path + ": cannot read: " + std::strerror(errno),
                         ErrorKind::Io);
  case FileKind::Other:
    return Status::error(path + ": not " + noun + " (expected " + expected +
                         ")");
  default:
    return Status::error(path + ": is " + describeKind(kind) + ", not " + noun +
                         " (expected " + expected + ")");
  }
}

} // namespace snnrt
