//===- DataCommand.cpp - snnc data shd|audio|digits -----------------------===//
//
// Options and progress output only; the work is in the runtime (ShdReader,
// AudioDataset, BuiltinDigits). Formulas and defaults: docs/data.md.
//
//===----------------------------------------------------------------------===//

#include "Cli.h"
#include "Commands.h"
#include "Files.h"

#include "snnrt/base/Clock.h"
#include "snnrt/data/AudioDataset.h"
#include "snnrt/data/BuiltinDigits.h"
#include "snnrt/data/ShdReader.h"
#include "snnrt/dataset/Dataset.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace snnc {

namespace {

/// Prints "label: done/total" on stderr about every 10 % (and at the end).
class Progress {
public:
  explicit Progress(bool quiet) : quiet_(quiet) {}
  void operator()(const std::string &label, size_t done, size_t total) {
    if (quiet_ || total == 0)
      return;
    size_t step = std::max<size_t>(1, total / 10);
    if (done % step != 0 && done != total)
      return;
    std::fprintf(stderr, "  %s: %zu/%zu (%zu%%)\n", label.c_str(), done, total,
                 done * 100 / total);
  }

private:
  bool quiet_;
};

std::string joinArgs(int argc, char **argv) {
  std::string s = "snnc data";
  for (int i = 0; i < argc; ++i)
    s += std::string(" ") + argv[i];
  return s;
}

int runShd(int argc, char **argv) {
  const char *cmd = "data shd";
  std::string input, out;
  double dtMs = 10;
  int64_t steps = 140, channelBin = 1, units = 700, classes = 20;
  cli::ArgParser p(cmd, "Bin a Spiking Heidelberg Digits file into a spike "
                        "dataset.");
  p.addPositional("SHD.h5", &input, "shd_train.h5 or shd_test.h5 as published");
  p.addString("--out", &out, "dataset file to write", "OUT.h5", true);
  p.addDouble("--dt-ms", &dtMs, "bin width in milliseconds");
  p.addInt("--steps", &steps, "steps per sample; spikes at t >= steps*dt are "
                              "dropped (and counted)",
           1, 1 << 20);
  p.addInt("--channel-bin", &channelBin,
           "sum units in groups of K (5: 700 -> 140 channels)", 1, 700);
  p.addInt("--input-units", &units, "units in the file (700 for SHD)", 1,
           1 << 20);
  p.addInt("--num-classes", &classes, "classes (20 for SHD)", 1, 1 << 20);
  p.setEpilog("example:\n  snnc data shd shd_train.h5 --out shd_train_10ms.h5 "
              "--dt-ms 10 --channel-bin 5");
  if (auto rc = p.parse(argc, argv))
    return *rc;
  if (!(dtMs > 0) || !std::isfinite(dtMs))
    return cli::reportError(cmd, snnrt::Status::error("--dt-ms must be > 0"));

  // Files snnc knows to be something else are named; other HDF5 files go to
  // the reader, which says what an SHD file lacks.
  if (auto st = snnrt::expectFile(
          input,
          {snnrt::FileKind::Shd, snnrt::FileKind::Hdf5, snnrt::FileKind::Other,
           snnrt::FileKind::Json, snnrt::FileKind::Mlir,
           snnrt::FileKind::Audio},
          "an SHD file", "shd_train.h5 or shd_test.h5 as published");
      !st)
    return cli::reportError(cmd, st);
  if (auto st = cli::checkOutputFile(out); !st)
    return cli::reportError(cmd, st);

  snnrt::ShdOptions opt;
  opt.dtSeconds = dtMs / 1000.0;
  opt.steps = uint32_t(steps);
  opt.channelBin = uint32_t(channelBin);
  opt.inputUnits = uint32_t(units);
  opt.numClasses = uint32_t(classes);
  snnrt::ShdStats stats;
  auto ds = snnrt::readShd(input, opt, &stats);
  if (!ds)
    return cli::reportError(cmd, ds.status());
  ds->source = joinArgs(argc, argv);
  if (auto s = snnrt::writeDataset(out, *ds); !s)
    return cli::reportError(cmd, s);
  std::printf("%s: %llu samples, %u steps of %g ms, %u channels, %llu spikes "
              "-> %zu events\n",
              out.c_str(), (unsigned long long)stats.samples, ds->steps, dtMs,
              ds->channels, (unsigned long long)stats.spikes,
              ds->eventStep.size());
  std::printf("dropped %llu spikes at or after %g s (in %llu samples; latest "
              "spike at %.3f s)\n",
              (unsigned long long)stats.droppedLate, steps * dtMs / 1000.0,
              (unsigned long long)stats.samplesTruncated, stats.maxTime);
  return cli::kSuccess;
}

int runAudio(int argc, char **argv) {
  const char *cmd = "data audio";
  std::vector<std::string> inputs;
  std::string out, labels, encode = "frames";
  int64_t steps = 140, threads = 0;
  double gain = 1, threshold = 0.05;
  bool quiet = false;
  cli::ArgParser p(cmd, "Turn wav/flac recordings into a dataset of log-mel "
                        "frames (or spikes).");
  p.addPositionalList("INPUTS", &inputs, "audio files (wav, flac, ...)");
  p.addString("--out", &out, "dataset file to write", "OUT.h5", true);
  p.addString("--labels", &labels,
              "file of 'PATH LABEL' lines; default: labels from Heidelberg "
              "Digits names (lang-english_speaker-03_trial-4_digit-0.flac)",
              "FILE");
  p.addInt("--steps", &steps, "steps of 10 ms per sample (longer inputs are "
                              "cut, shorter padded with 0)",
           1, 1 << 20);
  p.addDouble("--gain", &gain, "scale of the normalised [0, 1] features "
                               "(the paper's x20 is applied by 'snnc train "
                               "--input-scale', not here)");
  p.addChoice("--encode", &encode, {"frames", "spikes"},
              "store frames, or send-on-delta spikes on 80 up/down channels");
  p.addDouble("--spike-threshold", &threshold,
              "change of a normalised band that emits one spike");
  p.addInt("--threads", &threads, "worker threads (0: all cores)", 0, 256);
  p.addFlag("--quiet", &quiet, "no progress output");
  p.setEpilog("Front-end: 16 kHz, 25 ms Hann windows, 10 ms hop, 512-point "
              "FFT, 40 HTK mel\nbands 0-8 kHz, dB, [-80, 0] dB -> [0, 1], "
              "times --gain (docs/data.md).\n\nexample:\n  snnc data audio "
              "recordings/*.flac --out audio.h5");
  if (auto rc = p.parse(argc, argv))
    return *rc;
  if (!(gain > 0))
    return cli::reportError(cmd, snnrt::Status::error("--gain must be > 0"));

  for (const std::string &in : inputs)
    if (auto st = snnrt::expectFile(
            in, {snnrt::FileKind::Audio, snnrt::FileKind::Other},
            "an audio file", "wav, flac, ogg, ...");
        !st)
      return cli::reportError(cmd, st);
  if (!labels.empty())
    if (auto st = snnrt::expectFile(labels, {snnrt::FileKind::Other},
                                    "a labels file", "'PATH LABEL' lines");
        !st)
      return cli::reportError(cmd, st);
  if (auto st = cli::checkOutputFile(out); !st)
    return cli::reportError(cmd, st);

  snnrt::AudioDatasetOptions opt;
  opt.steps = uint32_t(steps);
  opt.mel.gain = gain;
  opt.spikes = encode == "spikes";
  opt.encoding.threshold = threshold;
  opt.labelsFile = labels;
  opt.threads = unsigned(threads);
  Progress progress(quiet);
  snnrt::AudioDatasetStats stats;
  auto ds = snnrt::buildAudioDataset(
      inputs, opt, &stats,
      [&](size_t done, size_t total) { progress("audio", done, total); });
  if (!ds)
    return cli::reportError(cmd, ds.status());
  ds->source = joinArgs(argc, argv);
  if (auto s = snnrt::writeDataset(out, *ds); !s)
    return cli::reportError(cmd, s);
  std::printf("%s: %zu samples, %u steps, %u channels (%s); %llu inputs cut "
              "to %u steps\n",
              out.c_str(), ds->size(), ds->steps, ds->channels,
              opt.spikes ? "spikes" : "frames",
              (unsigned long long)stats.truncated, ds->steps);
  std::printf("front-end: %.1f s of audio in %.2f s (%.0f s of audio per "
              "second)\n",
              stats.audioSeconds, stats.frontEndSeconds,
              stats.frontEndSeconds > 0
                  ? stats.audioSeconds / stats.frontEndSeconds
                  : 0.0);
  return cli::kSuccess;
}

int runDigits(int argc, char **argv) {
  const char *cmd = "data digits";
  std::string out;
  int64_t train = 4000, test = 1000, seed = 1, threads = 0, channels = 40,
          classes = 20;
  std::string encode = "frames";
  double threshold = 0.05;
  bool quiet = false;
  cli::ArgParser p(cmd, "Synthesise the built-in spoken-digits dataset "
                        "(English and German 0-9, espeak-ng).");
  p.addString("--out", &out, "folder for train.h5 and test.h5", "DIR", true);
  p.addInt("--train", &train, "training samples", 0, 10000000);
  p.addInt("--test", &test, "test samples (voices never in training)", 0,
           10000000);
  p.addInt("--seed", &seed, "random seed; equal seeds give equal files", 0);
  p.addInt("--channels", &channels,
           "log-mel bands (16: Xylo's 16 input channels)", 1, 128);
  p.addInt("--classes", &classes,
           "keep the first K classes (0-9 English, 10-19 German; 8 fits "
           "Xylo's 8 outputs)",
           1, 20);
  p.addChoice("--encode", &encode, {"frames", "spikes"},
              "store frames, or send-on-delta spikes on 2 x channels up/down "
              "channels");
  p.addDouble("--spike-threshold", &threshold,
              "change of a normalised band that emits one spike");
  p.addInt("--threads", &threads, "front-end threads (0: all cores)", 0, 256);
  p.addFlag("--quiet", &quiet, "no progress output");
  p.setEpilog(
      "Samples are 1 s (100 steps of 10 ms) of 40 log-mel bands (--channels); "
      "classes 0-9\nEnglish, 10-19 German, balanced. Voices, variants and the "
      "split: docs/data.md.\n\nexample:\n  snnc data digits --out digits\n"
      "  snnc data digits --channels 16 --classes 8 --out digits16   # Xylo");
  if (auto rc = p.parse(argc, argv))
    return *rc;

  if (auto st = cli::checkOutputDir(out, /*parents=*/false); !st)
    return cli::reportError(cmd, st);

  snnrt::DigitsOptions opt;
  opt.trainSamples = uint32_t(train);
  opt.testSamples = uint32_t(test);
  opt.seed = uint64_t(seed);
  opt.threads = unsigned(threads);
  opt.mel.bands = uint32_t(channels);
  opt.classes = uint32_t(classes);
  opt.spikes = encode == "spikes";
  opt.encoding.threshold = threshold;
  Progress progress(quiet);
  snnrt::DigitsStats stats;
  auto t0 = snnrt::steadyNow();
  snnrt::Status s = snnrt::writeDigits(
      out, opt, &stats,
      [&](const std::string &split, size_t done, size_t total) {
        progress(split, done, total);
      });
  if (!s)
    return cli::reportError(cmd, s);
  std::printf("%s/train.h5: %lld samples, %s/test.h5: %lld samples "
              "(%u steps x %lld channels of %s, %lld classes)\n",
              out.c_str(), (long long)train, out.c_str(), (long long)test,
              opt.steps, (long long)(opt.spikes ? 2 * channels : channels),
              opt.spikes ? "spikes" : "frames", (long long)classes);
  std::printf("generated %.0f s of audio in %.1f s (synthesis %.1f s)\n",
              stats.audioSeconds, snnrt::secondsSince(t0), stats.synthSeconds);
  return cli::kSuccess;
}

void printDataUsage() {
  std::printf(
      "usage: snnc data <shd|audio|digits> [options]\n\n"
      "Writes the dataset file that 'snnc train' reads "
      "(docs/formats/dataset.md).\n\nkinds:\n"
      "  shd     bin a Spiking Heidelberg Digits file (spikes)\n"
      "  audio   wav/flac recordings through the log-mel front-end (frames)\n"
      "  digits  synthesise the built-in English/German spoken digits\n\n"
      "'snnc data <kind> --help' describes its options.\n\n%s\n",
      cli::kExitCodesHelp);
}

} // namespace

int runData(int argc, char **argv) {
  if (argc < 2) {
    printDataUsage();
    return cli::kBadInput;
  }
  std::string kind = argv[1];
  if (kind == "-h" || kind == "--help") {
    printDataUsage();
    return cli::kSuccess;
  }
  if (kind == "shd")
    return runShd(argc - 1, argv + 1);
  if (kind == "audio")
    return runAudio(argc - 1, argv + 1);
  if (kind == "digits")
    return runDigits(argc - 1, argv + 1);
  std::fprintf(stderr,
               "snnc data: error: unknown kind '%s' (shd, audio or digits)\n",
               kind.c_str());
  return cli::kBadInput;
}

} // namespace snnc
