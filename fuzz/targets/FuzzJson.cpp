//===- FuzzJson.cpp - libFuzzer targets for target and profile JSON -------===//
//
// SNNC_FUZZ_JSON picks the reader: 1, a hardware target description
// (`--target FILE.json`: llvm::json then snnc::parseTarget's validation);
// 2, a rate profile (`snn-map-to-cores=profile=FILE`, snnc::parseRateProfile).
//
//===----------------------------------------------------------------------===//

#include "snnc/Conversion/MapToCores.h"
#include "snnc/Target/Target.h"

#include "llvm/Support/JSON.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
#if SNNC_FUZZ_JSON == 1
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json) {
    llvm::consumeError(json.takeError());
    return 0;
  }
  llvm::Expected<snnc::Target> target = snnc::parseTarget(*json, "fuzz.json");
  if (!target)
    llvm::consumeError(target.takeError());
#elif SNNC_FUZZ_JSON == 2
  llvm::StringMap<std::vector<double>> rates;
  (void)snnc::parseRateProfile(text, "fuzz.json", rates);
#else
#error "SNNC_FUZZ_JSON must be 1 (target) or 2 (profile)"
#endif
  return 0;
}
