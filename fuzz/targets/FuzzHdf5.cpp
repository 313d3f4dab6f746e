//===- FuzzHdf5.cpp - libFuzzer target for the HDF5 readers ---------------===//
//
// One source for the five HDF5 readers; SNNC_FUZZ_READER (set per target in
// fuzz/CMakeLists.txt) picks which. The input is a file image opened with
// HDF5's core driver (h5::File::openImage): no temporary files. A reader may
// refuse an input with an error; it must never crash, hang, leak or
// allocate what the image cannot hold.
//
//===----------------------------------------------------------------------===//

#include "snnrt/base/Hdf5File.h"
#include "snnrt/data/ShdReader.h"
#include "snnrt/dataset/Dataset.h"
#include "snnrt/exec/Plan.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/nir/NirFile.h"

#include <cstddef>
#include <cstdint>

#define SNNC_FUZZ_MODEL 1
#define SNNC_FUZZ_PLAN 2
#define SNNC_FUZZ_DATASET 3
#define SNNC_FUZZ_SHD 4
#define SNNC_FUZZ_NIR 5

#if SNNC_FUZZ_READER == SNNC_FUZZ_NIR
#include "snnc/Import/NirImport.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto file = snnrt::h5::File::openImage("fuzz.h5", data, size);
  if (!file)
    return 0;
#if SNNC_FUZZ_READER == SNNC_FUZZ_MODEL
  (void)snnrt::readModel(*file);
#elif SNNC_FUZZ_READER == SNNC_FUZZ_PLAN
  (void)snnrt::readPlanFile(*file);
#elif SNNC_FUZZ_READER == SNNC_FUZZ_DATASET
  (void)snnrt::readDataset(*file);
#elif SNNC_FUZZ_READER == SNNC_FUZZ_SHD
  (void)snnrt::readShd(*file, snnrt::ShdOptions{});
#elif SNNC_FUZZ_READER == SNNC_FUZZ_NIR
  // What `snnc import` does with a graph that reads: the conversion to a
  // model, with the default conventions.
  auto graph = snnrt::readNir(*file);
  if (graph)
    (void)snnc::nirToModel(*graph, snnc::NirImportOptions{}, "fuzz.nir");
#else
#error "SNNC_FUZZ_READER must name one reader"
#endif
  return 0;
}
