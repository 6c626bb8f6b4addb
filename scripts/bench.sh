#!/usr/bin/env bash
# Benchmarks of the kernels; numbers are printed, never asserted.
#   1. Instructions per inference of the native runner (em_run, -O2 -fno-tree-vectorize) for each corpus
#      model (micro_speech, ds_cnn_s and the two LSTM test models), from valgrind --tool=callgrind: (instructions of 2N inferences - instructions of N) / N, so
#      loading and set-up cancel. Printed beside TFLM's own figures on this kind of host (TFLM @ 90b983c).
#   2. Code size of the kernels for a Cortex-M4 (arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb), per file.
#   3. Wall time per inference of the managed and native kernels through edge-micro bench (noisy: for scale).
# Installs valgrind and gcc-arm-none-eabi when missing. Needs the corpus (../shared/corpus or $EDGE_MICRO_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${EDGE_MICRO_CORPUS:-../shared/corpus}
bash scripts/install-deps.sh valgrind gcc-arm-none-eabi
bash scripts/build-native.sh
dotnet build tools/Edge.Micro.Cli -c Release -nologo -v q
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }
mkdir -p build/emm build/bench
N=10

instructions() { # model repeat -> total instructions
  valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out build/interop/em_run "$1" --repeat "$2" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo
echo "Instructions per inference (callgrind, x86-64 host, -O2 -fno-tree-vectorize; N=$N vs 2N)"
printf "| %-13s | %14s | %14s | %14s | %14s |\n" model Edge.Micro "TFLM reference" "TFLM+CMSIS-NN" "TFLM+ESP-NN"
printf "|%s|%s|%s|%s|%s|\n" "---------------" "---------------:" "---------------:" "---------------:" "---------------:"
for model in micro_speech ds_cnn_s lstm_a lstm_b; do
  case $model in
    lstm_*) tflite="$corpus/lstm/models/$model.tflite"; emm="build/emm/$model.emm" ;;
    *) tflite="$corpus/models/${model}_quantized.tflite"; emm="build/emm/${model}_quantized.emm" ;;
  esac
  edge_micro convert "$tflite" -o build/emm > /dev/null
  a=$(instructions "$emm" $N)
  b=$(instructions "$emm" $((2 * N)))
  # TFLM's figures were measured for the two keyword models only; the LSTM models were built for the corpus.
  case $model in
    micro_speech) ref="22,467,077"; cmsis="1,822,587"; esp="2,033,072" ;;
    ds_cnn_s) ref="206,627,758"; cmsis="15,547,146"; esp="28,406,759" ;;
    *) ref="-"; cmsis="-"; esp="-" ;;
  esac
  printf "| %-13s | %14s | %14s | %14s | %14s |\n" "$model" "$(printf "%d" $(((b - a) / N)) | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')" "$ref" "$cmsis" "$esp"
done
echo
echo "Kernel code size for Cortex-M4 (arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb -ffunction-sections), .text bytes"
total=0
for src in interop/kernels/*.c; do
  obj=build/bench/$(basename "$src" .c).o
  arm-none-eabi-gcc -std=c99 -Os -mcpu=cortex-m4 -mthumb -ffunction-sections -Iinterop/include -Iinterop/kernels -c "$src" -o "$obj"
  text=$(arm-none-eabi-size -A "$obj" | awk '$1 ~ /^\.text/ { s += $2 } END { print s + 0 }')
  total=$((total + text))
  printf "  %-24s %6d\n" "$(basename "$src")" "$text"
done
printf "  %-24s %6d  (%.1f KB)\n" "total" "$total" "$(echo "$total / 1024" | bc -l)"

echo
echo "Micro front end: instructions per 20 ms frame of the native front end (callgrind, yes_1000ms: 49 frames, N=$N vs 2N)"
fa=$(valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out build/interop/em_frontend_run "$corpus/wav/yes_1000ms.wav" --repeat $N 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
fb=$(valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out build/interop/em_frontend_run "$corpus/wav/yes_1000ms.wav" --repeat $((2 * N)) 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
per_frame=$(((fb - fa) / (N * 49)))
printf "  Edge.Micro native: %d   TFLM classic C micro front end: 83,773   TFLM audio_preprocessor model: 105,567   ratio to 83,773: %.2f\n" "$per_frame" "$(echo "$per_frame / 83773" | bc -l)"
for fe in managed native; do
  edge_micro bench "build/emm/micro_speech_quantized.emm" --frontend -n 2000 --kernels "$fe" | sed 's/^/  /'
done
edge_micro bench "build/emm/ds_cnn_s_quantized.emm" --frontend -n 500 | sed 's/^/  /'

echo
echo "Wall time per inference on this machine (edge-micro bench -n 200; noisy, for scale only)"
for model in micro_speech ds_cnn_s; do
  for kernels in managed native; do
    edge_micro bench "build/emm/${model}_quantized.emm" -n 200 --kernels "$kernels" | sed -n 2p | sed "s/^/  $model $kernels:/"
  done
done
