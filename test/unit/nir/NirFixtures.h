//===- NirFixtures.h - Readers for the NIR fixtures' sidecar files -*- C++ -*-===//
//
// test/data/nir/generate_fixtures.py writes, next to the .nir files,
// expected.txt (every dataset of every fixture as h5py read it, values as
// exact decimal doubles) and snntorch_*.trace (snnTorch's own simulation of
// the exported nets). These helpers parse both; the format is line-based so
// the tests need no JSON library.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "snnrt/nir/NirGraph.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace nirtest {

inline std::string dataDir() {
  const char *d = std::getenv("SNNC_TEST_DATA");
  return std::string(d ? d : "test/data") + "/nir";
}
inline std::string fixture(const std::string &name) {
  return dataDir() + "/" + name;
}

struct ExpectedParam {
  std::string dtype;
  bool gzip = false;
  std::vector<uint64_t> shape;
  std::vector<double> values;
};

struct ExpectedFile {
  std::string version;
  std::map<std::string, std::string> nodeTypes; ///< dotted path -> type
  std::map<std::string, std::map<std::string, ExpectedParam>> params;
  /// graph path ("." = top) -> edges in file order
  std::map<std::string, std::vector<snnrt::NirEdge>> edges;
};

inline std::vector<uint64_t> parseShape(const std::string &s) {
  std::vector<uint64_t> shape;
  std::string inner = s.substr(1, s.size() - 2);
  std::stringstream ss(inner);
  std::string d;
  while (std::getline(ss, d, ','))
    if (!d.empty())
      shape.push_back(std::stoull(d));
  return shape;
}

inline std::map<std::string, ExpectedFile> loadExpected() {
  std::map<std::string, ExpectedFile> out;
  std::ifstream in(fixture("expected.txt"));
  EXPECT_TRUE(in.good()) << "cannot open " << fixture("expected.txt");
  std::string line;
  ExpectedFile *cur = nullptr;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "file") {
      std::string name;
      ls >> name;
      cur = &out[name];
    } else if (tag == "version") {
      ls >> cur->version;
    } else if (tag == "node") {
      std::string path, type;
      ls >> path >> type;
      cur->nodeTypes[path] = type;
    } else if (tag == "edge") {
      std::string graph, src, dst;
      ls >> graph >> src >> dst;
      cur->edges[graph].push_back({src, dst});
    } else if (tag == "param") {
      std::string path, field, shape, compression;
      ExpectedParam p;
      ls >> path >> field >> p.dtype >> compression >> shape;
      p.gzip = compression == "gzip";
      p.shape = parseShape(shape);
      std::string v;
      while (ls >> v)
        p.values.push_back(std::strtod(v.c_str(), nullptr));
      cur->params[path][field] = std::move(p);
    }
  }
  return out;
}

/// Every non-graph node of a graph by dotted path, as expected.txt names
/// them; edges by graph path.
inline void collect(const snnrt::NirGraph &g, const std::string &prefix,
                    std::map<std::string, const snnrt::NirNode *> &nodes,
                    std::map<std::string, std::vector<snnrt::NirEdge>> &edges) {
  if (!g.edges.empty())
    edges[prefix.empty() ? "." : prefix] = g.edges;
  for (const auto &[name, node] : g.nodes) {
    std::string path = prefix.empty() ? name : prefix + "." + name;
    if (node.kind == snnrt::NirKind::Graph)
      collect(*node.graph, path, nodes, edges);
    else
      nodes[path] = &node;
  }
}

/// One recorded snnTorch run.
struct Trace {
  std::string neuron; ///< lif | cubalif
  double dt = 0;
  std::string reset;
  int steps = 0;
  double margin = 0;
  /// Steps each layer of snnc's import runs behind the framework (1 where
  /// the framework spikes from the just-updated membrane, 0 for Spyx).
  int lag = 1;
  std::vector<std::string> layers; ///< neuron node names, in chain order
  std::vector<std::vector<double>> x;                     ///< [t][channel]
  std::vector<std::vector<std::vector<double>>> spk, mem; ///< [layer][t][i]
};

inline Trace loadTrace(const std::string &name) {
  Trace tr;
  std::ifstream in(fixture(name));
  EXPECT_TRUE(in.good()) << "cannot open " << fixture(name);
  std::string line;
  auto values = [](std::istringstream &ls) {
    std::vector<double> v;
    std::string s;
    while (ls >> s)
      v.push_back(std::strtod(s.c_str(), nullptr));
    return v;
  };
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "neuron")
      ls >> tr.neuron;
    else if (tag == "dt")
      ls >> tr.dt;
    else if (tag == "reset")
      ls >> tr.reset;
    else if (tag == "steps")
      ls >> tr.steps;
    else if (tag == "margin")
      ls >> tr.margin;
    else if (tag == "lag")
      ls >> tr.lag;
    else if (tag == "layers") {
      std::string l;
      while (ls >> l)
        tr.layers.push_back(l);
      tr.spk.resize(tr.layers.size());
      tr.mem.resize(tr.layers.size());
    } else if (tag == "x") {
      int t;
      ls >> t;
      tr.x.push_back(values(ls));
    } else if (tag == "spk" || tag == "mem") {
      int layer, t;
      ls >> layer >> t;
      (tag == "spk" ? tr.spk : tr.mem)[layer].push_back(values(ls));
    }
  }
  return tr;
}

} // namespace nirtest
