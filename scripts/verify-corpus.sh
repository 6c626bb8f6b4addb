#!/usr/bin/env bash
# The corpus check: build edge-micro, then convert -> inspect -> verify the reference
# corpus models (micro_speech and DS-CNN small) bit for bit against TensorFlow Lite Micro's goldens.
# Usage: scripts/verify-corpus.sh [output folder]      (default: out/)
# Needs: the .NET 10 SDK and the corpus in ../shared/corpus (or $EDGE_MICRO_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${EDGE_MICRO_CORPUS:-../shared/corpus}
out=${1:-out}
if [ ! -f "$corpus/MANIFEST.md" ]; then
  echo "error: reference corpus not found at $corpus (set EDGE_MICRO_CORPUS)" >&2
  exit 2
fi

dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }

for model in micro_speech ds_cnn_s; do
  echo
  echo "=== $model"
  edge_micro convert "$corpus/models/${model}_quantized.tflite" -o "$out"
  edge_micro inspect "$out/${model}_quantized.emm" --plot "$out/${model}_plan.png" | head -n 20
  edge_micro verify "$out/${model}_quantized.emm" --goldens "$corpus/$model"
done
