#!/usr/bin/env bash
# The fleet's load benchmark (printed, not asserted; docs/fleet.md, "Load"): starts Mosquitto on a free loopback
# port, then `edge-micro fleet-bench` runs N synthetic devices (a detection per device per second, stats every 10 s)
# through one gateway outbox and the broker to one subscriber, and prints delivery, end-to-end latency percentiles
# and the CPU of the broker and of the gateway+subscriber process.
# Usage: scripts/fleet-bench.sh [device counts, default 100,1000,5000] [seconds per step, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh mosquitto
dotnet build tools/Edge.Micro.Cli -nologo -v q -c Release > /dev/null
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$port" > "$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; rm -rf "$dir"' EXIT
sleep 1
echo "mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') on 127.0.0.1:$port (pid $broker); $(nproc) cores"
dotnet tools/Edge.Micro.Cli/bin/Release/net10.0/edge-micro.dll fleet-bench --broker "127.0.0.1:$port" --broker-pid "$broker" \
  --devices "${1:-100,1000,5000}" --seconds "${2:-20}"
