#!/usr/bin/env bash
# Builds the native kernels (interop/): the static library, libedge_micro_native.so (the desktop's P/Invoke
# target), the em_run runner and the GoogleTest suite, into build/interop (Release, -O2 -fno-tree-vectorize).
# Usage: scripts/build-native.sh [--sanitize]   (--sanitize: ASan + UBSan build into build/interop-asan)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ "${1:-}" = "--sanitize" ]; then
  cmake -S interop -B build/interop-asan -DCMAKE_BUILD_TYPE=Debug -DEM_SANITIZE=ON > /dev/null
  cmake --build build/interop-asan -j "$(nproc)"
else
  cmake -S interop -B build/interop -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build/interop -j "$(nproc)"
fi
