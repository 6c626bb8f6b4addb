#!/bin/sh
# Cross-builds em_run and em_kernel_variants for a board's instruction set and runs them under QEMU: every fast
# kernel variant against its reference loop, then every corpus case bit for bit (em_run --expect: exit 1 when the
# output differs from TFLM's golden).
#   run_corpus.sh cortex-m4|xtensa-lx106 <build folder>
# The .emm files come from build/emm (scripts/test.sh converts micro_speech, ds_cnn_s, lstm_a and lstm_b there).
# Exit 77 (skipped) when the cross compiler, QEMU or the corpus is missing, unless CI=true, where that fails.
set -u
target=$1
build=$2
repo=$(cd "$(dirname "$0")/../../.." && pwd)
corpus=${EDGE_MICRO_CORPUS:-$repo/../shared/corpus}
case $target in
  cortex-m4)
    toolchain=$repo/interop/cmake/arm-none-eabi-cortex-m4.cmake
    compiler=arm-none-eabi-gcc
    qemu="qemu-system-arm -M mps2-an386"
    packages="gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"
    ;;
  xtensa-lx106)
    toolchain=$repo/interop/cmake/xtensa-lx106.cmake
    compiler=xtensa-lx106-elf-gcc
    qemu="qemu-system-xtensa -M sim -cpu lx106"
    packages="gcc-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc"
    ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
missing() {
  echo "$1"
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 77
}
command -v "$compiler" > /dev/null || missing "$compiler not found (Debian: $packages)"
command -v "${qemu%% *}" > /dev/null || missing "${qemu%% *} not found (Debian: $packages)"
[ -f "$corpus/MANIFEST.md" ] || missing "corpus not found at $corpus"
cmake -S "$repo/interop" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release > "$build.log" 2>&1 \
  && cmake --build "$build" --target em_run em_kernel_variants >> "$build.log" 2>&1 || { cat "$build.log"; exit 1; }

timeout 600 $qemu -nographic -monitor none -serial none -semihosting-config enable=on,target=native,arg=em_kernel_variants \
  -kernel "$build/em_kernel_variants.elf" || { echo "FAIL kernel variants on $target"; exit 1; }

passed=0
failed=0
for model in micro_speech ds_cnn_s lstm/lstm_a lstm/lstm_b; do
  case $model in
    lstm/*) emm=$repo/build/emm/${model#lstm/}.emm ;;
    *) emm=$repo/build/emm/${model}_quantized.emm ;;
  esac
  [ -f "$emm" ] || missing "$emm not found (scripts/test.sh converts it)"
  for case_dir in "$corpus/$model"/*/; do
    case_dir=${case_dir%/}
    [ -f "$case_dir/input.bin" ] && [ -f "$case_dir/output.bin" ] || continue
    if timeout 120 $qemu -nographic -monitor none -serial none \
        -semihosting-config "enable=on,target=native,arg=em_run,arg=$emm,arg=--input,arg=$case_dir/input.bin,arg=--expect,arg=$case_dir/output.bin" \
        -kernel "$build/em_run.elf"; then
      passed=$((passed + 1))
    else
      echo "FAIL $model/$(basename "$case_dir")"
      failed=$((failed + 1))
    fi
  done
done
echo "$target under QEMU: $passed cases bit for bit, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
