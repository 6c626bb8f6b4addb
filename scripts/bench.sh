#!/usr/bin/env bash
# Benchmarks of the kernels; numbers are printed, never asserted.
#   1. Instructions per inference of the native runner (em_run, -O2 -fno-tree-vectorize) for each corpus
#      model (micro_speech, ds_cnn_s and the two LSTM test models), from valgrind --tool=callgrind: (instructions of 2N inferences - instructions of N) / N, so
#      loading and set-up cancel. Printed beside TFLM's own figures on this kind of host (TFLM @ 90b983c).
#   2. Instructions per inference on a Cortex-M4F: em_run cross-built and run under QEMU (mps2-an386) with the
#      instruction-counting plugin of ../shared/tools/qemu-insncount (built here, never copied), N versus 2N.
#   3. The same on an Xtensa LX106 (xtensa-lx106-elf-gcc, QEMU's xtensa sim machine, -cpu lx106).
#   4. Code size of the kernels per instruction set (-Os: Cortex-M4 thumb, Xtensa LX106), per file.
#   5. Wall time per inference of the managed and native kernels through edge-micro bench (noisy: for scale).
# Installs valgrind, the two cross toolchains and QEMU when missing. Needs the corpus (../shared/corpus or $EDGE_MICRO_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${EDGE_MICRO_CORPUS:-../shared/corpus}
bash scripts/install-deps.sh valgrind gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
bash scripts/install-deps.sh gcc-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc
bash scripts/build-native.sh
dotnet build tools/Edge.Micro.Cli -c Release -nologo -v q
edge_micro() { dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll "$@"; }
mkdir -p build/emm build/bench
N=10
models="micro_speech ds_cnn_s lstm_a lstm_b"
emm_of() { case $1 in lstm_*) echo "build/emm/$1.emm" ;; *) echo "build/emm/${1}_quantized.emm" ;; esac; }
tflite_of() { case $1 in lstm_*) echo "$corpus/lstm/models/$1.tflite" ;; *) echo "$corpus/models/${1}_quantized.tflite" ;; esac; }
per_inference() { # instructions of N, of 2N -> per inference, with thousands separators
  printf "%d" $((($2 - $1) / N)) | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'
}

instructions() { # model repeat -> total instructions
  valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out build/interop/em_run "$1" --repeat "$2" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo
echo "Instructions per inference (callgrind, x86-64 host, -O2 -fno-tree-vectorize; N=$N vs 2N)"
printf "| %-13s | %14s | %14s | %14s | %14s |\n" model Edge.Micro "TFLM reference" "TFLM+CMSIS-NN" "TFLM+ESP-NN"
printf "|%s|%s|%s|%s|%s|\n" "---------------" "---------------:" "---------------:" "---------------:" "---------------:"
for model in $models; do
  emm=$(emm_of "$model")
  edge_micro convert "$(tflite_of "$model")" -o build/emm > /dev/null
  a=$(instructions "$emm" $N)
  b=$(instructions "$emm" $((2 * N)))
  # TFLM's figures were measured for the two keyword models only; the LSTM models were built for the corpus.
  case $model in
    micro_speech) ref="22,467,077"; cmsis="1,822,587"; esp="2,033,072" ;;
    ds_cnn_s) ref="206,627,758"; cmsis="15,547,146"; esp="28,406,759" ;;
    *) ref="-"; cmsis="-"; esp="-" ;;
  esac
  printf "| %-13s | %14s | %14s | %14s | %14s |\n" "$model" "$(per_inference "$a" "$b")" "$ref" "$cmsis" "$esp"
done
echo
echo "Instructions per inference on a Cortex-M4F (em_run cross-built: arm-none-eabi-gcc -O2 -mcpu=cortex-m4 -mthumb"
echo "-mfloat-abi=hard; QEMU mps2-an386 with the qemu-insncount plugin of ../shared/tools; N=$N vs 2N)"
insncount_dir=${EDGE_MICRO_QEMU_INSNCOUNT:-../shared/tools/qemu-insncount}
[ -f "$insncount_dir/insncount.c" ] && gcc -O2 -shared -fPIC -o build/bench/libinsncount.so "$insncount_dir/insncount.c"
if [ -f "$insncount_dir/insncount.c" ] && command -v qemu-system-arm > /dev/null; then
  cmake -S interop -B build/cortex-m4 -DCMAKE_TOOLCHAIN_FILE="$PWD/interop/cmake/arm-none-eabi-cortex-m4.cmake" -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build/cortex-m4 --target em_run > /dev/null
  m4_instructions() { # model repeat -> executed guest instructions
    qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none -plugin build/bench/libinsncount.so \
      -semihosting-config "enable=on,target=native,arg=em_run,arg=$1,arg=--repeat,arg=$2" -kernel build/cortex-m4/em_run.elf 2>&1 \
      | sed -n 's/^insns: \([0-9]*\).*/\1/p'
  }
  # The other columns are the figures issue 18 reports for the same board and method (TFLM @ 90b983c).
  printf "| %-13s | %14s | %14s | %18s | %14s |\n" model Edge.Micro "TFLM reference" "TFLM+CMSIS-NN DSP" "TFLM+ESP-NN"
  printf "|%s|%s|%s|%s|%s|\n" "---------------" "---------------:" "---------------:" "-------------------:" "---------------:"
  for model in $models; do
    a=$(m4_instructions "$(emm_of "$model")" $N)
    b=$(m4_instructions "$(emm_of "$model")" $((2 * N)))
    case $model in
      micro_speech) ref="22,735,775"; cmsis="1,496,643"; esp="1,597,334" ;;
      ds_cnn_s) ref="198,675,618"; cmsis="7,720,018"; esp="25,052,275" ;;
      *) ref="-"; cmsis="-"; esp="-" ;;
    esac
    printf "| %-13s | %14s | %14s | %18s | %14s |\n" "$model" "$(per_inference "$a" "$b")" "$ref" "$cmsis" "$esp"
  done
else
  echo "  skipped: needs qemu-system-arm and $insncount_dir (set EDGE_MICRO_QEMU_INSNCOUNT)"
fi
echo
echo "Instructions per inference on an Xtensa LX106 (em_run cross-built: xtensa-lx106-elf-gcc -O2 -mtext-section-literals,"
echo "picolibc; QEMU xtensa sim -cpu lx106 with the same plugin; N=$N vs 2N)"
if [ -f "$insncount_dir/insncount.c" ] && command -v qemu-system-xtensa > /dev/null; then
  cmake -S interop -B build/xtensa-lx106 -DCMAKE_TOOLCHAIN_FILE="$PWD/interop/cmake/xtensa-lx106.cmake" -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build/xtensa-lx106 --target em_run > /dev/null
  lx106_instructions() { # model repeat -> executed guest instructions
    qemu-system-xtensa -M sim -cpu lx106 -nographic -monitor none -serial none -plugin build/bench/libinsncount.so \
      -semihosting-config "enable=on,target=native,arg=em_run,arg=$1,arg=--repeat,arg=$2" -kernel build/xtensa-lx106/em_run.elf 2>&1 \
      | sed -n 's/^insns: \([0-9]*\).*/\1/p'
  }
  # The other columns are issue 18's figures for the same core and method; "vs best" divides ours by the better of
  # ESP-NN's and CMSIS-NN's plain C.
  printf "| %-13s | %14s | %14s | %14s | %16s | %8s |\n" model Edge.Micro "TFLM reference" "TFLM+ESP-NN" "TFLM+CMSIS-NN C" "vs best"
  printf "|%s|%s|%s|%s|%s|%s|\n" "---------------" "---------------:" "---------------:" "---------------:" "-----------------:" "---------:"
  for model in $models; do
    a=$(lx106_instructions "$(emm_of "$model")" $N)
    b=$(lx106_instructions "$(emm_of "$model")" $((2 * N)))
    ours=$(((b - a) / N))
    case $model in
      micro_speech) ref="19,694,326"; esp="3,231,712"; cmsis="3,083,442"; best=3083442 ;;
      ds_cnn_s) ref="191,053,092"; esp="46,181,184"; cmsis="26,077,742"; best=26077742 ;;
      *) ref="-"; esp="-"; cmsis="-"; best=0 ;;
    esac
    ratio="-"
    [ "$best" -gt 0 ] && ratio=$(printf "%.2fx" "$(echo "$ours / $best" | bc -l)")
    printf "| %-13s | %14s | %14s | %14s | %16s | %8s |\n" "$model" "$(per_inference "$a" "$b")" "$ref" "$esp" "$cmsis" "$ratio"
  done
else
  echo "  skipped: needs qemu-system-xtensa and $insncount_dir (set EDGE_MICRO_QEMU_INSNCOUNT)"
fi

echo
echo "Kernel code size per instruction set, .text bytes (-Os -ffunction-sections; Cortex-M4: arm-none-eabi-gcc"
echo "-mcpu=cortex-m4 -mthumb; Xtensa LX106: xtensa-lx106-elf-gcc -mtext-section-literals, literals included)"
text_bytes() { # size tool, object -> bytes in .text sections
  "$1" -A "$2" | awk '$1 ~ /^\.text/ { s += $2 } END { print s + 0 }'
}
m4_total=0
lx_total=0
printf "  %-24s %10s %10s\n" file Cortex-M4 LX106
for src in interop/kernels/*.c; do
  name=$(basename "$src" .c)
  arm-none-eabi-gcc -std=c99 -Os -mcpu=cortex-m4 -mthumb -ffunction-sections -Iinterop/include -Iinterop/kernels -c "$src" -o "build/bench/$name.m4.o"
  xtensa-lx106-elf-gcc -std=c99 -Os -mtext-section-literals -ffunction-sections -Iinterop/include -Iinterop/kernels -c "$src" -o "build/bench/$name.lx106.o"
  m4=$(text_bytes arm-none-eabi-size "build/bench/$name.m4.o")
  lx=$(text_bytes xtensa-lx106-elf-size "build/bench/$name.lx106.o")
  m4_total=$((m4_total + m4))
  lx_total=$((lx_total + lx))
  printf "  %-24s %10d %10d\n" "$name.c" "$m4" "$lx"
done
printf "  %-24s %10d %10d  (%.1f KB, %.1f KB)\n" "total" "$m4_total" "$lx_total" "$(echo "$m4_total / 1024" | bc -l)" "$(echo "$lx_total / 1024" | bc -l)"

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
