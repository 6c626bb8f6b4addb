#!/usr/bin/env bash
# Reproduces the shipped default model (models/yes_no.*, see models/README.md): synthesizes the dataset with
# espeak-ng, trains, quantizes, exports and evaluates. About 15 minutes on 2 cores.
# Usage: scripts/train-default.sh [output folder]     (default build/models; give "models" to replace the shipped model)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/models}
bash scripts/install-deps.sh espeak-ng
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }

edge_micro dataset --words yes,no --count 8000 --seed 1 -o build/datasets/yes_no
edge_micro train --data build/datasets/yes_no --arch tiny --width 12 --epochs 50 --seed 1 -o "$out/yes_no.tflite"
