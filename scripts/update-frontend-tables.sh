#!/usr/bin/env bash
# Regenerates interop/frontend/micro_frontend_tables.c from the project's table builder (a test fails when stale).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project tools/Edge.Micro.Cli -- frontend-tables --c interop/frontend/micro_frontend_tables.c \
  --cs firmware/Edge.Micro.Audio/FrontEnd/MicroSpeechFrontendTables.cs
