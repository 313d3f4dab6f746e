//===- NirFile.cpp - Read and write NIR graphs (HDF5) ---------------------===//

#include "snnrt/nir/NirFile.h"

#include "snnrt/base/Hdf5File.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace snnrt {

namespace {

/// Integers beyond 2^53 would not survive the trip through double. Compared
/// as integers: (double)(2^53 + 1) rounds to 2^53 and would slip through.
constexpr int64_t kMaxExactInt = int64_t(1) << 53;

/// Parses "MAJOR.MINOR[.…]" and accepts 0.2 <= version < 1.1: the layouts
/// the nir package has written (0.2.0, then 1.0.0 … 1.0.8 — no 0.3–0.9 were
/// released). 0.0.x/0.1.x files predate the /version dataset's layout.
bool supportedVersion(const std::string &v, bool writing) {
  int major = -1, minor = -1;
  if (std::sscanf(v.c_str(), "%d.%d", &major, &minor) != 2)
    return false;
  if (writing)
    return major == 1 && minor == 0;
  return (major == 0 && minor >= 2) || (major == 1 && minor == 0);
}

class Reader {
public:
  explicit Reader(const h5::File &file) : f_(file) {}

  Status graph(const std::string &group, const std::string &display,
               NirGraph &out) {
    std::string edgesPath = group + "/edges";
    if (!f_.exists(edgesPath))
      return err(display, "has no 'edges' dataset");
    SNNRT_TRY(edges(edgesPath, display, out.edges));
    std::string nodesPath = group + "/nodes";
    if (!f_.isGroup(nodesPath))
      return err(display, "has no 'nodes' group");
    auto names = f_.list(nodesPath);
    if (!names)
      return names.status();
    for (const std::string &name : *names) {
      NirNode node;
      SNNRT_TRY(this->node(nodesPath + "/" + name,
                           display.empty() ? name : display + "." + name,
                           node));
      out.nodes.emplace(name, std::move(node));
    }
    return Status::ok();
  }

private:
  Status err(const std::string &display, const std::string &what) {
    return Status::error(f_.path() + ": " +
                         (display.empty() ? std::string("the top-level graph")
                                          : "node '" + display + "'") +
                         " " + what);
  }

  Status edges(const std::string &path, const std::string &display,
               std::vector<NirEdge> &out) {
    auto shape = f_.shape(path);
    if (!shape)
      return shape.status();
    uint64_t n = 1;
    for (uint64_t d : *shape)
      n *= d;
    h5::Handle ds(H5Dopen2(f_.id(), path.c_str(), H5P_DEFAULT));
    h5::Handle type(H5Dget_type(ds.get()));
    if (H5Tget_class(type.get()) != H5T_STRING) {
      // h5py stores an empty Python list as an empty float64 array.
      if (n == 0)
        return Status::ok();
      return err(display, "has an 'edges' dataset that does not hold strings");
    }
    std::vector<std::string> names;
    SNNRT_TRY(f_.readStrings(path, names));
    if (n == 0)
      return Status::ok();
    if (shape->size() != 2 || (*shape)[1] != 2)
      return err(display, "has 'edges' of shape " + shapeText(*shape) +
                              "; expected (E, 2) pairs of node names");
    for (size_t i = 0; i + 1 < names.size(); i += 2)
      out.push_back({names[i], names[i + 1]});
    return Status::ok();
  }

  static std::string shapeText(const std::vector<uint64_t> &shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i)
      s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + ")";
  }

  Status node(const std::string &path, const std::string &display,
              NirNode &out) {
    if (!f_.isGroup(path))
      return err(display, "is not an HDF5 group");
    if (!f_.exists(path + "/type"))
      return err(display, "has no 'type'");
    std::string type;
    SNNRT_TRY(f_.readString(path + "/type", type));
    std::optional<NirKind> kind = nirKindFromName(type);
    if (!kind) {
      if (nirIsKnownUnsupported(type))
        return err(display, "has type " + type +
                                ", which snnc does not support (supported: " +
                                nirSupportedKindList() + ")");
      return err(display, "has unknown type '" + type +
                              "' (supported: " + nirSupportedKindList() + ")");
    }
    out.kind = *kind;
    if (*kind == NirKind::Graph) {
      out.graph = std::make_unique<NirGraph>();
      return graph(path, display, *out.graph);
    }
    auto children = f_.list(path);
    if (!children)
      return children.status();
    for (const std::string &field : *children) {
      std::string p = path + "/" + field;
      if (field == "type")
        continue;
      if (field == "metadata" && f_.isGroup(p)) {
        SNNRT_TRY(metadata(p, display, out));
        continue;
      }
      if (f_.isGroup(p))
        return err(display, "has an unexpected group '" + field + "'");
      bool isString = false;
      SNNRT_TRY(isStringDataset(p, isString));
      if (isString) {
        std::string value;
        SNNRT_TRY(f_.readString(p, value));
        out.strings[field] = value;
        continue;
      }
      NirArray a;
      SNNRT_TRY(array(p, display, field, a));
      out.params[field] = std::move(a);
    }
    return Status::ok();
  }

  /// Flat metadata only (numbers and strings); nested metadata groups carry
  /// nothing snnc uses and are skipped.
  Status metadata(const std::string &path, const std::string &display,
                  NirNode &out) {
    auto children = f_.list(path);
    if (!children)
      return children.status();
    for (const std::string &key : *children) {
      std::string p = path + "/" + key;
      if (f_.isGroup(p))
        continue;
      bool isString = false;
      SNNRT_TRY(isStringDataset(p, isString));
      if (isString) {
        std::vector<std::string> values;
        SNNRT_TRY(f_.readStrings(p, values));
        if (values.size() == 1)
          out.metadataStrings[key] = values[0];
        continue;
      }
      NirArray a;
      if (array(p, display, "metadata/" + key, a))
        out.metadata[key] = std::move(a);
    }
    return Status::ok();
  }

  Status isStringDataset(const std::string &path, bool &isString) {
    h5::Handle ds(H5Dopen2(f_.id(), path.c_str(), H5P_DEFAULT));
    if (!ds.valid())
      return Status::error(f_.path() + ": '" + path +
                           "': cannot open dataset (truncated file?)");
    h5::Handle type(H5Dget_type(ds.get()));
    isString = H5Tget_class(type.get()) == H5T_STRING;
    return Status::ok();
  }

  Status array(const std::string &path, const std::string &display,
               const std::string &field, NirArray &out) {
    h5::Handle ds(H5Dopen2(f_.id(), path.c_str(), H5P_DEFAULT));
    if (!ds.valid())
      return Status::error(f_.path() + ": '" + path +
                           "': cannot open dataset (truncated file?)");
    h5::Handle type(H5Dget_type(ds.get()));
    H5T_class_t cls = H5Tget_class(type.get());
    size_t size = H5Tget_size(type.get());
    if (cls == H5T_FLOAT) {
      // float16 (torch half) is widened to float32: exact, and snnc has no
      // half type to keep it in.
      out.dtype = size == 8 ? NirDType::Float64 : NirDType::Float32;
      if (size > 8)
        return err(display, "field '" + field +
                                "' is a float wider than 64 bits");
      return f_.read<double>(path, out.values, &out.shape);
    }
    if (cls == H5T_INTEGER) {
      bool isSigned = H5Tget_sign(type.get()) == H5T_SGN_2;
      static const NirDType s[] = {NirDType::Int8, NirDType::Int16,
                                   NirDType::Int32, NirDType::Int64};
      static const NirDType u[] = {NirDType::UInt8, NirDType::UInt16,
                                   NirDType::UInt32, NirDType::UInt64};
      int idx = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
      out.dtype = isSigned ? s[idx] : u[idx];
      bool tooLarge = false;
      if (isSigned) {
        std::vector<int64_t> v;
        SNNRT_TRY(f_.read<int64_t>(path, v, &out.shape));
        out.values.assign(v.begin(), v.end());
        for (int64_t x : v)
          tooLarge |= x > kMaxExactInt || x < -kMaxExactInt;
      } else {
        std::vector<uint64_t> v;
        SNNRT_TRY(f_.read<uint64_t>(path, v, &out.shape));
        out.values.assign(v.begin(), v.end());
        for (uint64_t x : v)
          tooLarge |= x > static_cast<uint64_t>(kMaxExactInt);
      }
      if (tooLarge)
        return err(display, "field '" + field +
                                "' holds an integer beyond 2^53, which snnc "
                                "cannot represent exactly");
      return Status::ok();
    }
    return err(display, "field '" + field +
                            "' is neither numeric nor a string (HDF5 class " +
                            std::to_string(static_cast<int>(cls)) + ")");
  }

  const h5::File &f_;
};

template <typename T>
std::vector<T> convert(const std::vector<double> &values) {
  return std::vector<T>(values.begin(), values.end());
}

class Writer {
public:
  Writer(h5::File &file, int gzipLevel) : f_(file), gzip_(gzipLevel) {}

  Status graph(const std::string &group, const NirGraph &g) {
    SNNRT_TRY(f_.writeString(group + "/type", "NIRGraph"));
    std::vector<std::string> names;
    for (const NirEdge &e : g.edges) {
      names.push_back(e.src);
      names.push_back(e.dst);
    }
    SNNRT_TRY(f_.writeStrings(group + "/edges", names, {g.edges.size(), 2}));
    SNNRT_TRY(f_.createGroup(group + "/nodes"));
    for (const auto &[name, node] : g.nodes) {
      if (name.empty() || name.find('/') != std::string::npos ||
          name == "." || name == "..")
        return Status::error(f_.path() + ": node name '" + name +
                             "' cannot be stored in HDF5 (empty, '/', '.' or "
                             "'..')");
      SNNRT_TRY(this->node(group + "/nodes/" + name, node));
    }
    return Status::ok();
  }

private:
  Status node(const std::string &path, const NirNode &n) {
    if (n.kind == NirKind::Graph)
      return graph(path, *n.graph);
    SNNRT_TRY(f_.createGroup(path));
    SNNRT_TRY(f_.writeString(path + "/type", nirKindName(n.kind)));
    for (const auto &[field, a] : n.params)
      SNNRT_TRY(array(path + "/" + field, a, gzip_));
    for (const auto &[field, s] : n.strings)
      SNNRT_TRY(f_.writeString(path + "/" + field, s));
    for (const auto &[key, a] : n.metadata)
      SNNRT_TRY(array(path + "/metadata/" + key, a, 0));
    for (const auto &[key, s] : n.metadataStrings)
      SNNRT_TRY(f_.writeString(path + "/metadata/" + key, s));
    return Status::ok();
  }

  Status array(const std::string &path, const NirArray &a, int gzip) {
    switch (a.dtype) {
    case NirDType::Float32:
      return f_.write(path, convert<float>(a.values), a.shape, gzip);
    case NirDType::Float64:
      return f_.write(path, a.values, a.shape, gzip);
    case NirDType::Int8:
      return f_.write(path, convert<int8_t>(a.values), a.shape, gzip);
    case NirDType::Int16:
      return f_.write(path, convert<int16_t>(a.values), a.shape, gzip);
    case NirDType::Int32:
      return f_.write(path, convert<int32_t>(a.values), a.shape, gzip);
    case NirDType::Int64:
      return f_.write(path, convert<int64_t>(a.values), a.shape, gzip);
    case NirDType::UInt8:
      return f_.write(path, convert<uint8_t>(a.values), a.shape, gzip);
    case NirDType::UInt16:
      return f_.write(path, convert<uint16_t>(a.values), a.shape, gzip);
    case NirDType::UInt32:
      return f_.write(path, convert<uint32_t>(a.values), a.shape, gzip);
    case NirDType::UInt64:
      return f_.write(path, convert<uint64_t>(a.values), a.shape, gzip);
    }
    return Status::error(path + ": unknown dtype", ErrorKind::Internal);
  }

  h5::File &f_;
  int gzip_;
};

} // namespace

Expected<NirGraph> readNir(const std::string &path) {
  auto file = h5::File::openRead(path);
  if (!file)
    return file.status();
  return readNir(*file);
}

Expected<NirGraph> readNir(const h5::File &f) {
  const std::string &path = f.path();
  if (!f.exists("version"))
    return Status::error(path + ": no '/version' dataset: not a NIR file, or "
                                "one older than nir 0.2");
  NirGraph g;
  SNNRT_TRY(f.readString("version", g.version));
  if (!supportedVersion(g.version, false))
    return Status::error(path + ": NIR version '" + g.version +
                         "' is not supported (snnc reads 0.2.x to 1.0.x)");
  if (!f.isGroup("node") || !f.exists("node/type"))
    return Status::error(path + ": no '/node' graph: not a NIR file");
  std::string topType;
  SNNRT_TRY(f.readString("node/type", topType));
  if (topType != "NIRGraph")
    return Status::error(path + ": the top-level node has type '" + topType +
                         "'; snnc reads files whose top level is a NIRGraph");
  SNNRT_TRY(Reader(f).graph("node", "", g));
  applyNirDefaults(g);
  nirDropTimeAxis(g);
  SNNRT_TRY(validateNir(g, path));
  return g;
}

Status writeNir(const std::string &path, const NirGraph &graph,
                const NirWriteOptions &options) {
  if (!supportedVersion(options.version, true))
    return Status::error(path + ": cannot stamp NIR version '" +
                         options.version +
                         "': the writer produces the 1.0 layout (1.0.x)");
  SNNRT_TRY(validateNir(graph, path));
  auto file = h5::File::createAtomic(path);
  if (!file)
    return file.status();
  SNNRT_TRY(file->writeString("version", options.version));
  int level = options.gzip ? std::max(1, std::min(9, options.gzipLevel)) : 0;
  SNNRT_TRY(Writer(*file, level).graph("node", graph));
  return file->commit();
}

} // namespace snnrt
