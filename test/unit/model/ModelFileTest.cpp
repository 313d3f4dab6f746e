//===- ModelFileTest.cpp - model.h5 round trip and clear errors -----------===//

#include "snnrt/model/ModelBuilder.h"
#include "snnrt/model/ModelFile.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace snnrt;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "snnrt-model-" + std::to_string(getpid()) +
         "-" + name + ".h5";
}

/// Every optional feature: BatchNorm, CuBa, subtract reset, DCLS positions,
/// a CSR projection with integer delays and signs, a dense mask.
Model richModel() {
  NetworkSpec spec;
  spec.inputs = 5;
  spec.hidden = {6};
  spec.outputs = 3;
  spec.steps = 12;
  spec.maxDelay = 7;
  spec.tauSynSteps = 5.0;
  spec.reset = ResetMode::Subtract;
  spec.decay = DecayMode::Exp;
  auto m = buildFeedForward(spec, 11);
  EXPECT_TRUE(m.hasValue());
  Model model = m.take();
  model.name = "rich";
  model.populations[1].bias = {0.1f, -0.2f, 0.3f, 0.f, 1e-8f, -7.f};
  model.populations[1].batchnorm->mean[2] = 0.25f;
  model.projections[0].mask.assign(model.projections[0].weights.size(), 1);
  model.projections[0].mask[4] = 0;
  Projection &p = model.projections[1];
  p.positions.clear();
  p.sigma = 0.0;
  p.layout = ProjectionLayout::Csr;
  p.rowPtr = {0, 2, 2, 5};
  p.colIdx = {1, 4, 0, 2, 5};
  p.weights = {0.5f, -0.25f, 1.0f / 3.0f, 2.0f, -1e-3f};
  p.delays = {0, 6, 3, 1, 2};
  p.signs = {1, -1, 1, 1, -1, 1};
  model.training.delayMode = "learn";
  model.training.epochs = 3;
  model.training.testAccuracy = 0.5;
  return model;
}

/// Opens a written model for in-place corruption with the HDF5 C API.
struct Corrupt {
  hid_t f;
  explicit Corrupt(const std::string &path) {
    f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  }
  ~Corrupt() { H5Fclose(f); }
  void remove(const char *name) { H5Ldelete(f, name, H5P_DEFAULT); }
  void setVersion(int64_t version) {
    hid_t attr = H5Aopen(f, "version", H5P_DEFAULT);
    H5Awrite(attr, H5T_NATIVE_INT64, &version);
    H5Aclose(attr);
  }
  template <typename T>
  void replace(const char *name, hid_t type, const std::vector<T> &data,
               std::vector<hsize_t> dims) {
    remove(name);
    hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    hid_t ds = H5Dcreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT);
    H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
    H5Dclose(ds);
    H5Sclose(space);
  }
};

std::string errorOf(const std::string &path) {
  auto m = readModel(path);
  EXPECT_FALSE(m.hasValue());
  return m.hasValue() ? "" : m.status().message();
}

} // namespace

void checkRoundTrip(const Model &a);

TEST(ModelFile, RoundTripIsExact) { checkRoundTrip(richModel()); }

// Version 2: per-neuron tau_mem/tau_syn/threshold and a CuBa readout; a model
// without them is still stamped version 1.
TEST(ModelFile, PerNeuronParametersRoundTripAsVersion2) {
  Model a = richModel();
  EXPECT_EQ(modelFormatVersionFor(a), 1);
  Population &h = a.populations[1], &out = a.populations[2];
  for (uint32_t i = 0; i < h.size; ++i) {
    h.tauMemPerNeuron.push_back(h.tauMem * (1 + 0.1 * i));
    h.tauSynPerNeuron.push_back(*h.tauSyn / (1 + 0.3 * i));
    h.thresholdPerNeuron.push_back(1.0 / 3.0 + i);
  }
  h.threshold = h.thresholdPerNeuron[0];
  out.tauSyn = 0.02;
  EXPECT_EQ(modelFormatVersionFor(a), 2);
  checkRoundTrip(a);

  std::string path = tempPath("v1-per-neuron");
  ASSERT_TRUE(writeModel(path, a));
  Corrupt(path).setVersion(1);
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("hidden1/tau_mem_per_neuron: per-neuron parameters need "
                     "model format version 2"),
            std::string::npos)
      << msg;
  ASSERT_TRUE(writeModel(path, a));
  {
    Corrupt c(path);
    c.replace("populations/hidden1/threshold_per_neuron", H5T_NATIVE_DOUBLE,
              std::vector<double>{1, 1, 0, 1, 1, 1}, {6});
  }
  msg = errorOf(path);
  EXPECT_NE(msg.find("hidden1/threshold_per_neuron[2]: must be positive"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

// Version 3: a LIF population's float neuron convention (SNN-F13). Paper
// models are not stamped 3 and carry no attribute, so older readers read
// them; a convention in an older file, an unknown one, one on a non-LIF
// population or with subtract reset is refused with the object named.
TEST(ModelFile, NeuronConventionRoundTripsAsVersion3) {
  Model a = richModel();
  EXPECT_EQ(modelFormatVersionFor(a), 1);
  Population &h = a.populations[1];
  h.reset = ResetMode::Hard;
  h.convention = NeuronConvention::Lava;
  ASSERT_TRUE(a.validate()) << a.validate().message();
  EXPECT_EQ(modelFormatVersionFor(a), 3);
  checkRoundTrip(a);

  std::string path = tempPath("convention");
  ASSERT_TRUE(writeModel(path, a));
  Corrupt(path).setVersion(2);
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("hidden1@convention: a neuron convention needs model "
                     "format version 3, the file says 2"),
            std::string::npos)
      << msg;
  ASSERT_TRUE(writeModel(path, a));
  {
    Corrupt c(path);
    hid_t g = H5Gopen2(c.f, "populations/hidden1", H5P_DEFAULT);
    H5Adelete(g, "convention");
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, 5);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr =
        H5Acreate2(g, "convention", type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, type, "loihi");
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    H5Gclose(g);
  }
  msg = errorOf(path);
  EXPECT_NE(msg.find("hidden1@convention: unknown 'loihi' (expected paper, "
                     "lava or reset_first)"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());

  Model b = a;
  b.populations[1].reset = ResetMode::Subtract;
  EXPECT_NE(b.validate().message().find("hidden1/convention: lava needs reset "
                                        "hard"),
            std::string::npos)
      << b.validate().message();
  b = a;
  b.populations[2].convention = NeuronConvention::Lava; // the li readout
  EXPECT_NE(b.validate().message().find("only LIF populations have a neuron "
                                        "convention"),
            std::string::npos)
      << b.validate().message();
}

// A synaptic bias (SNN-F8) on CuBa populations: version 2, bit-exact; the
// model refuses one without tau_syn, of the wrong size or not finite.
TEST(ModelFile, SynapticBiasRoundTripsAsVersion2) {
  Model a = richModel();
  Population &h = a.populations[1];
  ASSERT_TRUE(h.tauSyn);
  h.biasSyn = {0.5f, -1.0f / 3.0f, 0.f, 1e-9f, 2.5f, -0.125f};
  EXPECT_EQ(modelFormatVersionFor(a), 2);
  checkRoundTrip(a);

  std::string path = tempPath("bias-syn");
  ASSERT_TRUE(writeModel(path, a));
  Corrupt(path).setVersion(1);
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("hidden1/bias_syn: a synaptic bias needs model format "
                     "version 2"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());

  Model b = a;
  b.populations[1].biasSyn.pop_back();
  EXPECT_NE(b.validate().message().find("hidden1/bias_syn"), std::string::npos)
      << b.validate().message();
  b = a;
  b.populations[1].biasSyn[3] = NAN;
  EXPECT_NE(b.validate().message().find("hidden1/bias_syn"), std::string::npos)
      << b.validate().message();
  b = a;
  b.populations[2].biasSyn.assign(b.populations[2].size, 1.0f); // no tau_syn
  EXPECT_NE(b.validate().message().find("output/bias_syn: needs tau_syn"),
            std::string::npos)
      << b.validate().message();
}

void checkRoundTrip(const Model &a) {
  ASSERT_TRUE(a.validate()) << a.validate().message();
  std::string path = tempPath("roundtrip");
  ASSERT_TRUE(writeModel(path, a));
  auto r = readModel(path);
  ASSERT_TRUE(r.hasValue()) << r.status().message();
  const Model &b = *r;
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.dt, b.dt);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.decay, b.decay);
  EXPECT_EQ(a.outputs, b.outputs);
  ASSERT_EQ(a.populations.size(), b.populations.size());
  for (size_t i = 0; i < a.populations.size(); ++i) {
    const Population &x = a.populations[i], &y = b.populations[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.size, y.size);
    if (x.kind == PopulationKind::Input) {
      EXPECT_EQ(x.inputKind, y.inputKind);
      EXPECT_EQ(x.scale, y.scale);
      continue;
    }
    EXPECT_EQ(x.tauMem, y.tauMem);
    EXPECT_EQ(x.tauSyn, y.tauSyn);
    EXPECT_EQ(x.threshold, y.threshold);
    EXPECT_EQ(x.tauMemPerNeuron, y.tauMemPerNeuron);
    EXPECT_EQ(x.tauSynPerNeuron, y.tauSynPerNeuron);
    EXPECT_EQ(x.thresholdPerNeuron, y.thresholdPerNeuron);
    EXPECT_EQ(x.reset, y.reset);
    EXPECT_EQ(x.convention, y.convention);
    EXPECT_EQ(x.bias, y.bias);
    EXPECT_EQ(x.biasSyn, y.biasSyn);
    EXPECT_EQ(x.dropout, y.dropout);
    ASSERT_EQ(x.batchnorm.has_value(), y.batchnorm.has_value());
    if (x.batchnorm) {
      EXPECT_EQ(x.batchnorm->gamma, y.batchnorm->gamma);
      EXPECT_EQ(x.batchnorm->beta, y.batchnorm->beta);
      EXPECT_EQ(x.batchnorm->mean, y.batchnorm->mean);
      EXPECT_EQ(x.batchnorm->var, y.batchnorm->var);
      EXPECT_EQ(x.batchnorm->eps, y.batchnorm->eps);
      EXPECT_EQ(x.batchnorm->momentum, y.batchnorm->momentum);
    }
  }
  ASSERT_EQ(a.projections.size(), b.projections.size());
  for (size_t i = 0; i < a.projections.size(); ++i) {
    const Projection &x = a.projections[i], &y = b.projections[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.source, y.source);
    EXPECT_EQ(x.target, y.target);
    EXPECT_EQ(x.maxDelay, y.maxDelay);
    EXPECT_EQ(x.layout, y.layout);
    EXPECT_EQ(x.rowPtr, y.rowPtr);
    EXPECT_EQ(x.colIdx, y.colIdx);
    EXPECT_EQ(x.weights, y.weights); // bit-exact floats
    EXPECT_EQ(x.delays, y.delays);
    EXPECT_EQ(x.positions, y.positions);
    EXPECT_EQ(x.sigma, y.sigma);
    EXPECT_EQ(x.mask, y.mask);
    EXPECT_EQ(x.signs, y.signs);
  }
  EXPECT_EQ(a.training.delayMode, b.training.delayMode);
  EXPECT_EQ(a.training.epochs, b.training.epochs);
  EXPECT_EQ(a.training.testAccuracy, b.training.testAccuracy);
  std::remove(path.c_str());
}

TEST(ModelFile, MissingDatasetIsNamed) {
  std::string path = tempPath("missing");
  ASSERT_TRUE(writeModel(path, richModel()));
  { Corrupt(path).remove("projections/fc1/weights"); }
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("projections/fc1/weights"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
  std::remove(path.c_str());
}

TEST(ModelFile, WrongShapeIsNamed) {
  std::string path = tempPath("shape");
  ASSERT_TRUE(writeModel(path, richModel()));
  {
    Corrupt c(path);
    c.replace("projections/fc1/weights", H5T_NATIVE_FLOAT,
              std::vector<float>(5 * 5, 0.f), {5, 5});
  }
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("projections/fc1/weights: wrong shape [5, 5], expected "
                     "[6, 5]"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

TEST(ModelFile, NaNIsRejected) {
  std::string path = tempPath("nan");
  ASSERT_TRUE(writeModel(path, richModel()));
  {
    std::vector<float> bias(6, 0.f);
    bias[3] = NAN;
    Corrupt(path).replace("populations/hidden1/bias", H5T_NATIVE_FLOAT, bias,
                          {6});
  }
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("populations/hidden1/bias: non-finite value at index 3"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

TEST(ModelFile, NegativeAndTooLargeDelaysAreRejected) {
  std::string path = tempPath("negdelay");
  ASSERT_TRUE(writeModel(path, richModel()));
  {
    Corrupt(path).replace("projections/fc2/delays", H5T_NATIVE_INT32,
                          std::vector<int32_t>{0, 6, -2, 1, 2}, {5});
  }
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("projections/fc2/delays: negative delay -2 at index 2"),
            std::string::npos)
      << msg;
  {
    Corrupt(path).replace("projections/fc2/delays", H5T_NATIVE_INT64,
                          std::vector<int64_t>{0, 7, 1, 1, 2}, {5});
  }
  msg = errorOf(path);
  EXPECT_NE(msg.find("not below max_delay 7"), std::string::npos) << msg;
  std::remove(path.c_str());
}

TEST(ModelFile, StructuralErrorsAreNamed) {
  Model m = richModel();
  m.projections[1].colIdx = {4, 1, 0, 2, 5}; // unsorted row 0
  EXPECT_NE(m.validate().message().find("projections/fc2/col_idx"),
            std::string::npos);
  m = richModel();
  m.projections[1].target = "nowhere";
  EXPECT_NE(m.validate().message().find("unknown population 'nowhere'"),
            std::string::npos);
  m = richModel();
  Projection back = m.projections[0];
  back.name = "back";
  back.source = "output";
  back.target = "hidden1";
  back.weights.assign(6 * 3, 0.f);
  back.positions.assign(6 * 3, 0.f);
  back.mask.clear();
  m.projections.push_back(back);
  EXPECT_NE(m.validate().message().find("cycle"), std::string::npos)
      << m.validate().message();
  // The writer validates before touching the disk.
  std::string path = tempPath("invalid");
  EXPECT_FALSE(writeModel(path, m));
  EXPECT_NE(access(path.c_str(), F_OK), 0);
}

TEST(ModelFile, NotAModel) {
  std::string path = tempPath("notmodel");
  {
    auto f = h5::File::createAtomic(path);
    ASSERT_TRUE(f.hasValue());
    ASSERT_TRUE(f->setAttrString("/", "format", "snnc-dataset"));
    ASSERT_TRUE(f->commit());
  }
  std::string msg = errorOf(path);
  EXPECT_NE(msg.find("is not snnc-model"), std::string::npos) << msg;
  std::remove(path.c_str());
}
