#!/usr/bin/env bash
# Regenerates interop/nanoframework (method lookup table, checksum, header, CMake module) from the
# nanoFramework build of firmware/Edge.Micro.Interop. Run it after changing the externs; a test fails
# while the checked-in files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build nf.proj -nologo -v q
dotnet run --project tools/Edge.Micro.InteropGen -- firmware/Edge.Micro.Interop/bin/nano/Release/netstandard2.0/Edge.Micro.Interop.dll interop/nanoframework
