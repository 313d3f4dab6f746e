//===- DataTestUtil.h - Helpers shared by the data tests --------*- C++ -*-===//
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

namespace datatest {

inline std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/snnc_data_" + std::to_string(getpid()) +
         "_" + name;
}

inline bool fileExists(const std::string &p) {
  return access(p.c_str(), F_OK) == 0;
}

inline std::vector<float> sine(double hz, double amplitude, double rate,
                               size_t n, double phase = 0.3) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i)
    x[i] = float(amplitude * std::sin(2 * M_PI * hz * i / rate + phase));
  return x;
}

/// Writes a 16-bit PCM RIFF/WAVE file by hand, so the reader is checked
/// against a file it did not write itself.
inline void writeWav16(const std::string &path, const std::vector<float> &x,
                       int rate, int channels = 1) {
  FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  auto u32 = [&](uint32_t v) { std::fwrite(&v, 4, 1, f); };
  auto u16 = [&](uint16_t v) { std::fwrite(&v, 2, 1, f); };
  uint32_t frames = uint32_t(x.size());
  uint32_t bytes = frames * 2 * channels;
  std::fwrite("RIFF", 1, 4, f);
  u32(36 + bytes);
  std::fwrite("WAVEfmt ", 1, 8, f);
  u32(16);
  u16(1); // PCM
  u16(uint16_t(channels));
  u32(uint32_t(rate));
  u32(uint32_t(rate * 2 * channels));
  u16(uint16_t(2 * channels));
  u16(16);
  std::fwrite("data", 1, 4, f);
  u32(bytes);
  for (float v : x) {
    long s = std::lround(std::max(-1.0f, std::min(1.0f, v)) * 32767.0f);
    for (int c = 0; c < channels; ++c)
      u16(uint16_t(int16_t(s)));
  }
  std::fclose(f);
}

/// Runs the snnc binary; returns its exit code and stderr.
inline int runSnnc(const std::string &args, std::string *stderrText = nullptr) {
  std::string errPath = tempPath("stderr.txt");
  std::string cmd = std::string(SNNC_BIN) + " " + args + " >/dev/null 2>" +
                    errPath;
  int rc = std::system(cmd.c_str());
  if (stderrText) {
    stderrText->clear();
    if (FILE *f = std::fopen(errPath.c_str(), "r")) {
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        stderrText->append(buf, n);
      std::fclose(f);
    }
  }
  std::remove(errPath.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

} // namespace datatest
