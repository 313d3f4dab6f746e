//===- Files.cpp - Checking the files an argument names -------------------===//

#include "Files.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace snnc::cli {

using snnrt::ErrorKind;
using snnrt::FileKind;
using snnrt::Status;

namespace {

/// Folder part of a path ("." for a bare name).
std::string parentOf(const std::string &path) {
  size_t end = path.size();
  while (end > 1 && path[end - 1] == '/')
    --end;
  size_t slash = path.rfind('/', end - 1);
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

/// Io error unless the folder above `path` is a writable folder; with
/// `parents`, missing folders are fine (they are created) and the nearest
/// existing one must be writable.
Status checkAncestors(const std::string &shown, const std::string &path,
                      bool parents) {
  std::string dir = parentOf(path);
  for (;;) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        return Status::error(shown + ": cannot write: " + dir +
                                 " is not a folder",
                             ErrorKind::Io);
      if (::access(dir.c_str(), W_OK | X_OK) != 0)
        return Status::error(shown + ": cannot write: folder " + dir +
                                 " is not writable",
                             ErrorKind::Io);
      return Status::ok();
    }
    if (errno != ENOENT)
      return Status::error(shown + ": cannot write: " + dir + ": " +
                               std::strerror(errno),
                           ErrorKind::Io);
    if (!parents)
      return Status::error(shown + ": cannot write: folder " + dir +
                               " does not exist",
                           ErrorKind::Io);
    if (dir == "." || dir == "/")
      return Status::ok();
    dir = parentOf(dir);
  }
}

} // namespace

Status checkTargetFile(const std::string &nameOrPath) {
  FileKind kind = snnrt::fileKind(nameOrPath);
  bool looksLikeFile = nameOrPath.find('/') != std::string::npos ||
                       (nameOrPath.size() > 5 &&
                        nameOrPath.compare(nameOrPath.size() - 5, 5, ".json") ==
                            0);
  if (kind == FileKind::Missing)
    return looksLikeFile ? Status::error(nameOrPath + ": no such file",
                                         ErrorKind::Io)
                         : Status::ok();
  if (kind == FileKind::Json)
    return Status::ok();
  return snnrt::expectFile(nameOrPath, {FileKind::Json}, "a target description",
                           "a preset name or a FILE.json, docs/targets.md");
}

Status checkOutputFile(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return Status::error(path + ": cannot write: is a folder", ErrorKind::Io);
  return checkAncestors(path, path, /*parents=*/false);
}

Status checkOutputDir(const std::string &dir, bool parents) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      return Status::error(dir + ": cannot write: exists and is not a folder",
                           ErrorKind::Io);
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
      return Status::error(dir + ": cannot write: folder is not writable",
                           ErrorKind::Io);
    return Status::ok();
  }
  return checkAncestors(dir, dir, parents);
}

} // namespace snnc::cli
