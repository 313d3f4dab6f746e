//===- TrainingHistory.cpp - Per-epoch record of a training run -----------===//

#include "snnrt/train/TrainingHistory.h"
#include "snnrt/model/ModelFile.h"
#include "snnrt/train/Trainer.h"

namespace snnrt {

namespace {
const char *const kGroup = "training/history";
} // namespace

void TrainingHistory::add(const EpochReport &r) {
  epoch.push_back(r.epoch);
  loss.push_back(r.loss);
  trainAccuracy.push_back(r.trainAccuracy);
  valAccuracy.push_back(r.valAccuracy);
  testAccuracy.push_back(r.testAccuracy);
  sigma.push_back(r.sigma);
  seconds.push_back(r.seconds);
}

Status writeTrainingHistory(h5::File &f, const TrainingHistory &h) {
  if (h.empty())
    return Status::ok();
  SNNRT_TRY(f.createGroup(kGroup));
  const std::string g = std::string(kGroup) + "/";
  SNNRT_TRY(f.write(g + "epoch", h.epoch));
  SNNRT_TRY(f.write(g + "loss", h.loss));
  SNNRT_TRY(f.write(g + "train_accuracy", h.trainAccuracy));
  SNNRT_TRY(f.write(g + "val_accuracy", h.valAccuracy));
  SNNRT_TRY(f.write(g + "test_accuracy", h.testAccuracy));
  SNNRT_TRY(f.write(g + "sigma", h.sigma));
  SNNRT_TRY(f.write(g + "seconds", h.seconds));
  return f.setAttr<int64_t>(kGroup, "kept_epoch", h.keptEpoch);
}

Expected<std::optional<TrainingHistory>>
readTrainingHistory(const h5::File &f) {
  if (!f.isGroup(kGroup))
    return std::optional<TrainingHistory>();
  TrainingHistory h;
  const std::string g = std::string(kGroup) + "/";
  SNNRT_TRY(f.read(g + "epoch", h.epoch));
  std::pair<const char *, std::vector<double> *> columns[] = {
      {"loss", &h.loss},
      {"train_accuracy", &h.trainAccuracy},
      {"val_accuracy", &h.valAccuracy},
      {"test_accuracy", &h.testAccuracy},
      {"sigma", &h.sigma},
      {"seconds", &h.seconds}};
  for (auto &[name, column] : columns) {
    SNNRT_TRY(f.read(g + name, *column));
    if (column->size() != h.epoch.size())
      return Status::error(f.path() + ": " + g + name + ": " +
                           std::to_string(column->size()) +
                           " entries, training/history/epoch has " +
                           std::to_string(h.epoch.size()));
  }
  if (f.hasAttr(kGroup, "kept_epoch"))
    SNNRT_TRY(f.getAttr(kGroup, "kept_epoch", h.keptEpoch));
  return std::optional<TrainingHistory>(std::move(h));
}

Expected<std::optional<TrainingHistory>>
readTrainingHistory(const std::string &path) {
  auto f = h5::File::openRead(path);
  if (!f)
    return f.status();
  return readTrainingHistory(*f);
}

Status writeTrainedModel(const std::string &path, const Model &model,
                         const TrainingHistory &history) {
  auto f = h5::File::createAtomic(path);
  if (!f)
    return f.status();
  Status s = writeModel(*f, model);
  if (s)
    s = writeTrainingHistory(*f, history);
  if (!s)
    return s.withContext(path);
  return f->commit();
}

} // namespace snnrt
