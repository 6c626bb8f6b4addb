#!/usr/bin/env bash
# Copies Edge.Micro's native interop into an nf-interpreter checkout, laid out as the generated CMake module
# (interop/nanoframework/FindINTEROP-Edge.Micro.Interop.cmake) expects it (docs/firmware.md, custom image step 2):
#   <nf-interpreter>/InteropAssemblies/Edge.Micro.Interop/            the stubs and the method table
#   <nf-interpreter>/InteropAssemblies/Edge.Micro.Interop/edge_micro/ include, kernels, frontend, runner, store
#   <nf-interpreter>/CMake/Modules/FindINTEROP-Edge.Micro.Interop.cmake
# The ctest check "nanoframework_image" stages into a scratch folder the same way and builds what it staged.
# Usage: scripts/stage-nanoframework-interop.sh <nf-interpreter folder>
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <nf-interpreter folder>" >&2
  exit 2
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
nf=$1
module="$nf/InteropAssemblies/Edge.Micro.Interop"
mkdir -p "$module/edge_micro" "$nf/CMake/Modules"
cp "$repo"/interop/nanoframework/*.h "$repo"/interop/nanoframework/*.cpp "$repo"/interop/nanoframework/*.c "$module/"
for part in include kernels frontend runner store; do
  rm -rf "${module:?}/edge_micro/$part"
  cp -r "$repo/interop/$part" "$module/edge_micro/$part"
done
cp "$repo/interop/nanoframework/FindINTEROP-Edge.Micro.Interop.cmake" "$nf/CMake/Modules/"
echo "staged Edge.Micro.Interop in $module"
