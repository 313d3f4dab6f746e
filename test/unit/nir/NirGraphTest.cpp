//===- NirGraphTest.cpp - validateNir and flattenNir in memory ------------===//

#include "NirFixtures.h"

#include "snnrt/nir/NirFile.h"
#include "snnrt/nir/NirGraph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace snnrt;
using namespace nirtest;

namespace {

NirNode io(NirKind kind, uint64_t n) {
  NirNode node(kind);
  node.params["shape"] = NirArray::ints({double(n)}, {1});
  return node;
}

NirNode scale(uint64_t n) {
  NirNode node(NirKind::Scale);
  node.params["scale"] = NirArray::filled(n, 2.0);
  return node;
}

NirNode lif(uint64_t n) {
  NirNode node(NirKind::LIF);
  node.params["tau"] = NirArray::filled(n, 0.01);
  node.params["r"] = NirArray::filled(n, 1.0);
  node.params["v_leak"] = NirArray::filled(n, 0.0);
  node.params["v_threshold"] = NirArray::filled(n, 1.0);
  return node;
}

/// in(2) -> s(2) -> out(2)
NirGraph chain() {
  NirGraph g;
  g.nodes["in"] = io(NirKind::Input, 2);
  g.nodes["s"] = scale(2);
  g.nodes["out"] = io(NirKind::Output, 2);
  g.edges = {{"in", "s"}, {"s", "out"}};
  return g;
}

NirNode graphNode(NirGraph g) {
  NirNode node(NirKind::Graph);
  node.graph = std::make_unique<NirGraph>(std::move(g));
  return node;
}

std::string validateMessage(const NirGraph &g) {
  Status st = validateNir(g, "g.nir");
  return st ? "" : st.message();
}

std::multiset<std::pair<std::string, std::string>>
edgeSet(const NirGraph &g) {
  std::multiset<std::pair<std::string, std::string>> s;
  for (const auto &e : g.edges)
    s.insert({e.src, e.dst});
  return s;
}

} // namespace

TEST(NirValidate, AcceptsAChainAndPrefixesErrors) {
  EXPECT_EQ(validateMessage(chain()), "");
  NirGraph g = chain();
  g.nodes["s"].params.erase("scale");
  EXPECT_EQ(validateMessage(g),
            "g.nir: node 's' (Scale) lacks the required field 'scale'");
}

TEST(NirValidate, EdgeDirections) {
  NirGraph g = chain();
  g.edges.push_back({"s", "in"});
  EXPECT_EQ(validateMessage(g), "g.nir: edge 's' -> 'in' enters an Input node");
  g = chain();
  g.nodes["s2"] = scale(2);
  g.edges.push_back({"out", "s2"});
  EXPECT_EQ(validateMessage(g),
            "g.nir: edge 'out' -> 's2' leaves from an Output node");
}

TEST(NirValidate, FieldChecks) {
  NirGraph g = chain();
  g.nodes["in"].params["shape"] = NirArray::floats({2.5}, {1});
  EXPECT_NE(validateMessage(g).find("field 'shape' must hold positive "
                                    "integers"),
            std::string::npos);

  g = chain();
  g.nodes["d"] = NirNode(NirKind::Delay);
  g.nodes["d"].params["delay"] = NirArray::floats({0.0, -1e-3}, {2});
  EXPECT_EQ(validateMessage(g),
            "g.nir: node 'd' (Delay) field 'delay' is negative at index 1");

  g = chain();
  g.nodes["s"].params.erase("scale");
  g.nodes["s"].strings["scale"] = "2";
  EXPECT_NE(validateMessage(g).find("stored as a string; it must be numeric"),
            std::string::npos);

  g = chain();
  g.nodes["s"].params["scale"].values.push_back(1.0); // 3 values, shape [2]
  EXPECT_NE(validateMessage(g).find("has shape [2] but 3 values"),
            std::string::npos);

  g = chain();
  g.nodes["w"] = NirNode(NirKind::Linear);
  g.nodes["w"].params["weight"] = NirArray::filled(4, 1.0); // rank 1
  EXPECT_NE(validateMessage(g).find("must be a matrix [out,in]"),
            std::string::npos);
}

TEST(NirValidate, ScalarNeuronFieldBroadcasts) {
  NirGraph g = chain();
  NirNode n = lif(2);
  n.params["tau"] = NirArray::floats({0.01}, {});
  g.nodes["lif"] = n;
  g.edges.push_back({"s", "lif"});
  EXPECT_EQ(validateMessage(g), "");
  g.nodes["lif"].params["r"] = NirArray::filled(3, 1.0);
  EXPECT_NE(validateMessage(g).find("fields must share one shape"),
            std::string::npos);
}

TEST(NirValidate, NestedPorts) {
  NirGraph g;
  g.nodes["in"] = io(NirKind::Input, 2);
  g.nodes["sub"] = graphNode(chain());
  g.nodes["out"] = io(NirKind::Output, 2);
  g.edges = {{"in", "sub"}, {"sub", "out"}};
  EXPECT_EQ(validateMessage(g), "");

  // A wrong size at the port is caught across the nesting boundary.
  g.nodes["in"] = io(NirKind::Input, 3);
  EXPECT_EQ(validateMessage(g), "g.nir: edge 'in' -> 'sub': 'in' gives 3 "
                                "values but 'sub' takes 2");

  // Two Inputs: the edge must name one.
  NirGraph two = chain();
  two.nodes["in2"] = io(NirKind::Input, 2);
  two.edges.push_back({"in2", "s"});
  g.nodes["in"] = io(NirKind::Input, 2);
  g.nodes["sub"] = graphNode(two);
  EXPECT_NE(validateMessage(g).find("which has 2 Input nodes; name one as "
                                    "'sub.<node>'"),
            std::string::npos);
  g.edges = {{"in", "sub.in2"}, {"sub", "out"}};
  EXPECT_EQ(validateMessage(g), "");
  // An error inside the nested graph names it with its path.
  g.nodes["sub"].graph->nodes["s"].params.erase("scale");
  EXPECT_EQ(validateMessage(g),
            "g.nir: node 'sub.s' (Scale) lacks the required field 'scale'");
}

TEST(NirFlatten, NestedFixture) {
  auto g = readNir(fixture("nested.nir"));
  ASSERT_TRUE(g) << g.status().message();
  auto flat = flattenNir(*g);
  ASSERT_TRUE(flat) << flat.status().message();
  std::set<std::string> names;
  for (const auto &[n, node] : flat->nodes) {
    names.insert(n);
    EXPECT_NE(node.kind, NirKind::Graph);
  }
  EXPECT_EQ(names, (std::set<std::string>{"input", "fc", "block.lif",
                                          "block.rec", "block.inner.w",
                                          "block.inner.li", "output"}));
  EXPECT_EQ(edgeSet(*flat),
            (std::multiset<std::pair<std::string, std::string>>{
                {"input", "fc"},
                {"fc", "block.lif"},
                {"block.lif", "block.rec"},
                {"block.rec", "block.lif"},
                {"block.lif", "block.inner.w"},
                {"block.inner.w", "block.inner.li"},
                {"block.inner.li", "output"}}));
  // Parameters travel unchanged.
  EXPECT_TRUE(flat->nodes.at("block.inner.li") ==
              g->node("block")->graph->node("inner")->graph->nodes.at("li"));
  EXPECT_TRUE(validateNir(*flat, "flat"));
}

TEST(NirFlatten, FlatGraphIsUnchanged) {
  auto g = readNir(fixture("all_types.nir"));
  ASSERT_TRUE(g);
  auto flat = flattenNir(*g);
  ASSERT_TRUE(flat);
  EXPECT_TRUE(*flat == *g);
}

TEST(NirFlatten, PassThroughAndExplicitPorts) {
  // sub: in1 -> s -> out, in2 -> out (in2 wired straight to the Output).
  NirGraph sub = chain();
  sub.nodes["in2"] = io(NirKind::Input, 2);
  sub.edges.push_back({"in2", "out"});
  NirGraph g;
  g.nodes["a"] = io(NirKind::Input, 2);
  g.nodes["b"] = scale(2);
  g.nodes["sub"] = graphNode(sub);
  g.nodes["z"] = io(NirKind::Output, 2);
  g.edges = {{"a", "sub.in"}, {"b", "sub.in2"}, {"sub", "z"}, {"a", "b"}};
  ASSERT_EQ(validateMessage(g), "");
  auto flat = flattenNir(g);
  ASSERT_TRUE(flat) << flat.status().message();
  EXPECT_EQ(edgeSet(*flat),
            (std::multiset<std::pair<std::string, std::string>>{
                {"a", "sub.s"}, {"sub.s", "z"}, {"b", "z"}, {"a", "b"}}));

  // Without naming the port the edge is ambiguous.
  g.edges[0] = {"a", "sub"};
  auto bad = flattenNir(g);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("ambiguous: it has 2 Input nodes"),
            std::string::npos)
      << bad.status().message();
}

TEST(NirFlatten, NameClash) {
  NirGraph g;
  g.nodes["in"] = io(NirKind::Input, 2);
  g.nodes["sub"] = graphNode(chain());
  g.nodes["sub.s"] = scale(2); // what sub's "s" would become
  g.edges = {{"in", "sub"}, {"in", "sub.s"}};
  auto flat = flattenNir(g);
  ASSERT_FALSE(flat);
  EXPECT_NE(flat.status().message().find("two nodes named 'sub.s'"),
            std::string::npos)
      << flat.status().message();
}

TEST(NirGraph, CopiesAreDeep) {
  NirGraph g;
  g.nodes["sub"] = graphNode(chain());
  NirGraph copy = g;
  copy.nodes["sub"].graph->nodes["s"].params["scale"].values[0] = 5.0;
  EXPECT_EQ(g.nodes["sub"].graph->nodes["s"].params["scale"].values[0], 2.0);
  EXPECT_FALSE(copy == g);
}

TEST(NirGraph, KindNames) {
  EXPECT_EQ(nirKindFromName("CubaLIF"), NirKind::CubaLIF);
  EXPECT_EQ(nirKindFromName("NIRGraph"), NirKind::Graph);
  EXPECT_FALSE(nirKindFromName("Conv2d"));
  EXPECT_TRUE(nirIsKnownUnsupported("Conv2d"));
  EXPECT_TRUE(nirIsKnownUnsupported("Flatten"));
  EXPECT_FALSE(nirIsKnownUnsupported("LIF"));
  for (const char *n : {"Input", "Output", "Affine", "Linear", "Scale",
                        "Delay", "Threshold", "LIF", "CubaLIF", "LI",
                        "CubaLI", "IF", "I", "NIRGraph"}) {
    auto k = nirKindFromName(n);
    ASSERT_TRUE(k) << n;
    EXPECT_STREQ(nirKindName(*k), n);
  }
}

TEST(NirGraph, SizesPropagateBothWays) {
  // in(3) -> s (scalar Scale) -> w (Linear 2x3) -> lif (scalar) -> out
  NirGraph g;
  g.nodes["in"] = io(NirKind::Input, 3);
  NirNode s(NirKind::Scale);
  s.params["scale"] = NirArray::floats({2.0}, {});
  g.nodes["s"] = s;
  NirNode w(NirKind::Linear);
  w.params["weight"] = NirArray::filled(6, 1.0);
  w.params["weight"].shape = {2, 3};
  g.nodes["w"] = w;
  NirNode l = lif(1);
  for (auto &[f, a] : l.params)
    a.shape = {};
  g.nodes["lif"] = l;
  NirNode d(NirKind::Delay); // scalar, only reachable backwards from out
  d.params["delay"] = NirArray::floats({0.0}, {});
  g.nodes["d"] = d;
  g.nodes["out"] = io(NirKind::Output, 2);
  g.edges = {{"in", "s"}, {"s", "w"}, {"w", "lif"}, {"lif", "d"}, {"d", "out"}};
  ASSERT_EQ(validateMessage(g), "");
  auto sizes = nirNodeSizes(g);
  EXPECT_EQ(sizes, (std::map<std::string, uint64_t>{
                       {"in", 3}, {"s", 3}, {"w", 2}, {"lif", 2}, {"d", 2},
                       {"out", 2}}));
  // Backwards only: drop the input; s still gets 3 from w's columns.
  g.nodes.erase("in");
  g.edges.erase(g.edges.begin());
  sizes = nirNodeSizes(g);
  EXPECT_EQ(sizes["s"], 3u);
}
