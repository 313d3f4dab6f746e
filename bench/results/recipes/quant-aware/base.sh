#!/usr/bin/env bash
# base.sh SEED: the demo's training (fast recipe, paper convention) with main's
# binary; snapshots the checkpoint after epochs 16..23 as ckpt/sSEED-eNN(.best).
seed=$1; pid=
cd /work/pg-runs
mkdir -p ckpt
rm -f base-s$seed.h5 base-s$seed.h5.ckpt base-s$seed.h5.ckpt.best
./snnc-main train --recipe fast --seed $seed --threads 2 --train digits/train.h5 \
  --test digits/test.h5 --out base-s$seed.h5 --delays learn --neuron-convention paper \
  > base-s$seed.train.log 2>&1 &
pid=$!
last=0
while kill -0 $pid 2>/dev/null; do
  e=$(grep -o "^epoch *[0-9]*" base-s$seed.train.log | tail -1 | grep -o "[0-9]*$")
  if [[ -n $e && $e != "$last" && $e -ge 16 && $e -le 23 ]]; then
    cp base-s$seed.h5.ckpt ckpt/s$seed-e$e.ckpt
    cp base-s$seed.h5.ckpt.best ckpt/s$seed-e$e.ckpt.best
    last=$e
  fi
  sleep 1
done
wait $pid
