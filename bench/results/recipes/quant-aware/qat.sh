#!/usr/bin/env bash
# qat.sh SEED K: resume base-sSEED's checkpoint after epoch 24-K with
# --quant-aware-epochs K (the same run as training from scratch with it:
# epochs before 24-K are untouched by the option), then evalplan.
seed=$1 k=$2 e=$((24 - $2))
tag=qat${k}-s$seed
cd /work/pg-runs
cp ckpt/s$seed-e$e.ckpt $tag.h5.ckpt
cp ckpt/s$seed-e$e.ckpt.best $tag.h5.ckpt.best
./snnc-pg train --recipe fast --seed $seed --threads 2 --train digits/train.h5 \
  --test digits/test.h5 --out $tag.h5 --delays learn --neuron-convention paper \
  --resume --quant-aware-epochs $k > $tag.train.log 2>&1
./evalplan.sh $tag
