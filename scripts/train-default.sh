#!/usr/bin/env bash
# Reproduces the shipped default model (models/yes_no.*, see models/README.md): synthesizes the dataset with
# espeak-ng, trains a first model, mines its false alarms on keyword-free running speech, and trains the
# shipped model on the dataset plus those windows (quantized, exported and evaluated). About 18 minutes on 2 cores.
# Usage: scripts/train-default.sh [output folder]     (default build/models; give "models" to replace the shipped model)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/models}
bash scripts/install-deps.sh espeak-ng
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }

edge_micro dataset --words yes,no --count 8000 --seed 1 -o build/datasets/yes_no
# 1. A first model, on the synthetic clips alone.
edge_micro train --data build/datasets/yes_no --arch tiny --width 12 --epochs 50 --seed 1 -o build/models/first/yes_no.tflite
# 2. The first 450 windows of keyword-free running speech it takes for a keyword (score above 120 of 127), added as unknown.
edge_micro mine build/models/first/yes_no.tflite --data build/datasets/yes_no --min-score 120 --max-clips 450 --seed 1 -o build/datasets/yes_no_mined
# 3. The shipped model, trained from scratch on both.
edge_micro train --data build/datasets/yes_no_mined --arch tiny --width 12 --epochs 50 --seed 1 -o "$out/yes_no.tflite"
