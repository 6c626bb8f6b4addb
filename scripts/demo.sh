#!/usr/bin/env bash
# The main job on a fresh machine: build edge-micro and detect keywords in the project's own sample
# recordings with the project's own default model (models/yes_no.emm). Needs only the .NET 10 SDK.
# Usage: scripts/demo.sh [wav ...]     (default: the samples in models/samples)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }

edge_micro inspect models/yes_no.emm | head -n 12
if [ $# -eq 0 ]; then
  set -- models/samples/*.wav
fi
for wav in "$@"; do
  echo
  edge_micro detect "$wav" --model models/yes_no.emm
done
