#!/usr/bin/env bash
# Reproduces the shipped default model (models/yes_no.*, see models/README.md): a dataset of speech synthesized
# by espeak-ng, flite and festival voices plus the real recordings of the dev speakers of ../shared/realspeech
# (never its test speakers), real noise under a share of the synthetic clips, then the two-convolution network
# trained on it with micro_speech (TFLM's model, trained on real speech) as a teacher, quantized, exported with
# the detection thresholds chosen on held-out dev speakers (docs/training.md section 5) and evaluated.
# About 15 minutes on 2 cores.
# Usage: scripts/train-default.sh [output folder]     (default build/models; give "models" to replace the shipped model)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/models}
realspeech=${EDGE_MICRO_REALSPEECH:-../shared/realspeech}
if [ ! -f "$realspeech/split.tsv" ]; then
  echo "error: the real recordings are missing: expected $realspeech/split.tsv (or set EDGE_MICRO_REALSPEECH)" >&2
  exit 2
fi
teacher=${EDGE_MICRO_CORPUS:-../shared/corpus}/models/micro_speech_quantized.tflite
if [ ! -f "$teacher" ]; then
  echo "error: the teacher model is missing: expected $teacher (or set EDGE_MICRO_CORPUS)" >&2
  exit 2
fi
bash scripts/install-deps.sh espeak-ng --voices
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }

edge_micro dataset --words yes,no --count 4000 --engines espeak-ng,flite,festival --edge 0.5 \
  --import "$realspeech" --import-split dev --import-copies 25 --recorded-noise 0.5 --seed 1 -o build/datasets/yes_no_real
edge_micro train --data build/datasets/yes_no_real --arch tiny2 --width 12 --epochs 40 --seed 1 \
  --teacher "$teacher" --teacher-weight 0.3 --threshold no=180 -o "$out/yes_no.tflite"
