#!/usr/bin/env bash
# Scan throughput bench: ./run.sh [SIZE_MB] (default 1024 = 1 GB, generated in memory in chunks).
set -euo pipefail
cd "$(dirname "$0")"
size="${1:-1024}"
dotnet run -c Release --project ScanBench.csproj -- --size-mb "$size"
