#!/usr/bin/env bash
# Installs the Debian packages the builds and tests need, only when something is missing:
# cmake, a C/C++ compiler, GoogleTest, socat (the simulator's pseudo-terminal); more by name as arguments
# (espeak-ng for dataset synthesis; --voices for flite, festival and its voices). Benchmarks add valgrind and
# gcc-arm-none-eabi (scripts/bench.sh); the tests add the Cortex-M4F and Xtensa LX106 cross toolchains and QEMU
# (qemu-system-arm, qemu-system-misc), and for the
# fleet mosquitto (the MQTT broker) and chromium (the dashboard's browser tests).
set -euo pipefail
need=()
command -v cmake > /dev/null || need+=(cmake)
command -v g++ > /dev/null || need+=(g++)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
command -v socat > /dev/null || need+=(socat)
# --voices: the synthesizers of edge-micro dataset --engines (flite, festival and the festvox voices that speak English text).
voices=(flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts festvox-czech-dita festvox-czech-krb
  festvox-czech-machac festvox-czech-ph festvox-suopuhe-lj festvox-suopuhe-mv festvox-italp16k festvox-itapc16k festvox-ru
  festvox-ca-ona-hts)
for pkg in "$@"; do
  if [ "$pkg" = "--voices" ]; then
    for v in "${voices[@]}"; do dpkg -s "$v" > /dev/null 2>&1 || need+=("$v"); done
    continue
  fi
  dpkg -s "$pkg" > /dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" > /dev/null
fi
