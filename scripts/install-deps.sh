#!/usr/bin/env bash
# Installs the Debian packages the builds and tests need, only when something is missing:
# cmake, a C/C++ compiler, GoogleTest, socat (the simulator's pseudo-terminal); more by name as arguments
# (espeak-ng for dataset synthesis). Benchmarks add valgrind and
# gcc-arm-none-eabi (scripts/bench.sh).
set -euo pipefail
need=()
command -v cmake > /dev/null || need+=(cmake)
command -v g++ > /dev/null || need+=(g++)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
command -v socat > /dev/null || need+=(socat)
for pkg in "$@"; do
  dpkg -s "$pkg" > /dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" > /dev/null
fi
