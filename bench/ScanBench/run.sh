#!/usr/bin/env bash
# Scan throughput bench: ./run.sh [SIZE_MB] [more ScanBench options] (default 1024 = 1 GB, generated in memory in chunks).
# The whole process runs on one core (taskset), JIT and GC threads included, so wall time is one core's time;
# tiered compilation is off in ScanBench.csproj, so that core runs optimized code from the start.
set -euo pipefail
cd "$(dirname "$0")"
size="${1:-1024}"
shift || true
dotnet build -c Release -v quiet -nologo ScanBench.csproj >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v taskset >/dev/null; then pin=(taskset -c 0); else pin=(); fi
"${pin[@]}" bin/Release/net10.0/ScanBench --size-mb "$size" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
