#!/usr/bin/env bash
# Runs every test of Edge.Micro: the nanoFramework build (nf.proj), the desktop build and all xunit suites.
# Usage: scripts/test.sh            (the README's test command; .ci/run calls it)
# Needs: the .NET 10 SDK. Installs nothing else yet. Reads the reference corpus from ../shared/corpus
# (or $EDGE_MICRO_CORPUS); under CI=true a missing corpus fails the corpus tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== nanoFramework build (nf.proj: firmware against nanoFramework's mscorlib)"
dotnet build nf.proj -nologo -v q

echo "== desktop build (Edge.Micro.sln)"
dotnet build Edge.Micro.sln -nologo -v q

echo "== tests"
status=0
dotnet test Edge.Micro.sln --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
