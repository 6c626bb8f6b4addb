#!/usr/bin/env bash
# Runs every test of Edge.Micro (the README's test command; .ci/run calls it):
#   1. the native kernels: CMake build, GoogleTest under ctest, again under ASan + UBSan; em_run cross-built for a
#      Cortex-M4F and an Xtensa LX106 and run on every corpus case under QEMU;
#   2. the nanoFramework build of the firmware (nf.proj) and the desktop build (Edge.Micro.sln);
#   3. all xunit suites (corpus goldens with managed and native kernels, IL guard, robustness, CLI).
# Installs missing Debian packages (cmake, g++, GoogleTest, espeak-ng, flite, festival and its voices, Node.js, the two
# cross compilers and QEMU) and the npm package of
# tests/tflite-reference (TensorFlow Lite's interpreter as WASM). Reads the reference corpus from ../shared/corpus
# (or $EDGE_MICRO_CORPUS) and the real recordings from ../shared/realspeech (or $EDGE_MICRO_REALSPEECH); under CI=true
# a missing shared folder fails the tests that need it instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${EDGE_MICRO_CORPUS:-../shared/corpus}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== test dependencies (espeak-ng, flite and festival for the speech synthesis tests; Node.js and TensorFlow Lite's WASM interpreter for the reference tests)"
bash scripts/install-deps.sh espeak-ng --voices
# The Cortex-M4F and Xtensa LX106 cross toolchains and QEMU for the bare-metal corpus checks (ctest
# cortex_m4_corpus_under_qemu, xtensa_lx106_corpus_under_qemu).
bash scripts/install-deps.sh gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
bash scripts/install-deps.sh gcc-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc
command -v npm > /dev/null || bash scripts/install-deps.sh nodejs npm
# The fleet tests: a real MQTT broker (the tests start it on a free loopback port) and a real browser for the dashboard.
bash scripts/install-deps.sh mosquitto chromium
(cd tests/tflite-reference && npm ci --no-audit --no-fund --loglevel=error) \
  || echo "warning: npm ci failed in tests/tflite-reference; the TensorFlow Lite reference tests will fail under CI=true"

echo "== native kernels (interop/)"
bash scripts/build-native.sh
bash scripts/build-native.sh --sanitize

echo "== nanoFramework build (nf.proj: firmware against nanoFramework's mscorlib)"
dotnet build nf.proj -nologo -v q

echo "== desktop build (Edge.Micro.sln)"
dotnet build Edge.Micro.sln -nologo -v q

echo "== corpus models converted for the native tests (build/emm)"
mkdir -p build/emm
if [ -f "$corpus/MANIFEST.md" ]; then
  for model in micro_speech ds_cnn_s; do
    dotnet tools/Edge.Micro.Cli/bin/Debug/net10.0/edge-micro.dll convert "$corpus/models/${model}_quantized.tflite" -o build/emm > /dev/null
  done
  for model in lstm_a lstm_b; do
    dotnet tools/Edge.Micro.Cli/bin/Debug/net10.0/edge-micro.dll convert "$corpus/lstm/models/$model.tflite" -o build/emm > /dev/null
  done
fi

status=0
echo "== ctest (Release)"
ctest --test-dir build/interop --output-on-failure 2>&1 | tee "$logs/ctest.log" || status=1
echo "== ctest (AddressSanitizer + UndefinedBehaviorSanitizer)"
ctest --test-dir build/interop-asan --output-on-failure 2>&1 | tee "$logs/ctest-asan.log" || status=1

echo "== xunit"
# The fleet's suite (20 simulated devices, a broker, a browser) runs after the others, so that its timeouts are not
# measured against the converter and training suites loading both cores.
dotnet test Edge.Micro.sln --no-build -nologo --filter "FullyQualifiedName!~Edge.Micro.Fleet.Tests" 2>&1 | tee "$logs/dotnet.log" || status=1
dotnet test tests/Edge.Micro.Fleet.Tests --no-build -nologo 2>&1 | tee -a "$logs/dotnet.log" || status=1

# One closing line over every runner: "N passed, N failed, N skipped".
awk '
  /tests passed, [0-9]+ tests failed out of [0-9]+/ {
    for (i = 1; i <= NF; i++) { if ($i == "failed") f1 = $(i-2); if ($i == "of") t1 = $(i+1) }
    p += t1 - f1; f += f1
  }
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$logs/ctest.log" "$logs/ctest-asan.log" "$logs/dotnet.log"
exit $status
