#!/usr/bin/env bash
# Makes the project's sample recordings in models/samples with espeak-ng (edge-micro synth). The voice
# (en-gb-x-rp+m3) is one of the voices held out of training.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh espeak-ng
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }
out=models/samples
edge_micro synth "Is it raining outside?" "yes" "Shall we stay at home then?" "no" "Do you want some tea?" "yes" \
  --voice en-gb-x-rp+m3 --speed 150 --noise pink --snr 20 --seed 1 -o "$out/yes_no_questions.wav"
edge_micro synth "The weather was cold and windy all week." "We walked along the river and talked about the old days." \
  --voice en-gb-x-rp+m3 --speed 160 --noise babble --snr 15 --seed 2 -o "$out/running_speech_no_keywords.wav"
