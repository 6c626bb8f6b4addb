#!/usr/bin/env bash
# Trains the variants of docs/training.md's size versus accuracy table on the default dataset
# (build/datasets/yes_no, made by scripts/train-default.sh) and prints the table. About 25 minutes on 2 cores.
# Usage: scripts/size-vs-accuracy.sh [epochs]     (default 20, as in docs/training.md)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-20}
data=build/datasets/yes_no
out=build/size-vs-accuracy
if [ ! -f "$data/dataset.json" ]; then
  echo "error: $data is missing; run scripts/train-default.sh first" >&2
  exit 2
fi
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }
field() { grep "\"$2\":" "$1" | head -n 1 | sed 's/.*: *//; s/,$//'; }
train() { local name=$1; shift; echo "== $name"; edge_micro train --data "$data" --epochs "$epochs" --seed 1 -o "$out/$name.tflite" "$@" | tail -n 1; }

train tiny-w4 --arch tiny --width 4
train tiny-w8 --arch tiny --width 8
train tiny-w12 --arch tiny --width 12
train tiny-w16 --arch tiny --width 16
train tiny-w8-distilled --arch tiny --width 8 --teacher "$out/tiny-w16.tflite"
train tiny-w12-pruned-w8 --arch tiny --width 12 --prune 0.33
train dscnn-w16 --arch dscnn --width 16

echo
echo "| model | parameters | .tflite bytes | .emm bytes | arena bytes | MACs | float accuracy | int8 accuracy |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for r in "$out"/*.report.json; do
  name=$(basename "$r" .report.json)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(field "$r" parameters)" "$(field "$r" tfliteBytes)" \
    "$(field "$r" emmBytes)" "$(field "$r" arenaBytes)" "$(field "$r" macs)" "$(field "$r" floatValidationAccuracy)" "$(field "$r" int8ValidationAccuracy)"
done
