#!/usr/bin/env bash
# usage: scripts/same-outputs-run.sh JAR OUTDIR
# Runs small configurations of every command (demo, smd-lstm, mscred, image-kd, train + score with the four presets)
# with the given jar, for a bit-for-bit comparison of two builds with scripts/same-outputs-compare.py.
# DATA: the datasets folder (docs/DATA.md; MSL and MNIST are read from it).
set -u
J="java --add-modules jdk.incubator.vector -jar $1"; O=$2; rm -rf $O; mkdir -p $O
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; EX=$ROOT/examples
D=${DATA:?set DATA to the datasets folder (docs/DATA.md)}
$J demo --out $O/demo > $O/demo.log 2>&1; echo "demo $?"
$J smd-lstm --data $EX/src/main/resources/data/SMD --entities machine-1-2 --window 20 --stride 10 --teacher-hidden 12 --student-hidden 6 --epochs 1 --max-train-rows 2000 --max-test-rows 16000 --labelled-fraction 0.4 --out $O/smd-lstm > $O/smd-lstm.log 2>&1; echo "smd-lstm $?"
$J mscred --data $D/MSL --entity C-1 --teacher-length 20 --student-lengths 10 --channels 4,8,8,8 --teacher-epochs 1 --epochs 1 --rows base-small,ad,lta-rnn,full-gru --max-train-rows 600 --max-test-rows 900 --out $O/mscred > $O/mscred.log 2>&1; echo "mscred $?"
$J image-kd --data $D --datasets MNIST --classes 3 --students 5,7 --epochs 1 --outliers 50 --test-size 50 --max-train 300 --out $O/image-kd > $O/image-kd.log 2>&1; echo "image-kd $?"
for p in reconstruction score-mlp pca knn; do
  $J train --data $EX/data/machine-1-2-train.csv.gz --preset $p --out $O/train-$p > $O/train-$p.log 2>&1; echo "train $p $?"
  $J score --model $O/train-$p/model.tribuo --data $EX/data/machine-1-2-test.csv.gz --out $O/train-$p/scores.csv > $O/score-$p.log 2>&1; echo "score $p $?"
done
