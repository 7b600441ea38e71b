#!/usr/bin/env bash
# Wall time of the full shipped suite (every scenario, every browser, every mode) through run.ps1 on 1, 4 and 8
# virtual phones in one run each, and the cost per phone. Phones alternate the two shipped configurations of
# devices.json (2020 browsers / fixed browsers). Uses a private adb server, never 5037.
#   bench/SuiteBench/run.sh [SETTLE_SECONDS] [PHONE_COUNTS...]     default: 2 s, phones 1 4 8
#   SUITEBENCH_NOBUILD=1 skips the Release build (use the binaries already built).
# SETTLE is the telemetry wait per case (run.ps1 -Settle); the phones' timers run at timeFactor 0.1 (15 s flush = 1.5 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
settle=${1:-2}
shift || true
if [ $# -gt 0 ]; then counts=("$@"); else counts=(1 4 8); fi
adb_port=${SUITEBENCH_ADB_PORT:-16099}
base_port=${SUITEBENCH_BASE_PORT:-16100}
work=$(mktemp -d /tmp/suitebench.XXXXXX)
trap 'adb -P "$adb_port" kill-server >/dev/null 2>&1 || true' EXIT
dotnet tool restore >/dev/null
if [ -z "${SUITEBENCH_NOBUILD:-}" ]; then
  dotnet build harness/Cli/Harness.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet build tests/LeakSuite/Harness.LeakSuite.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
fi
echo "cores: $(nproc); settle: ${settle} s; timeFactor 0.1"
printf '%-7s %-7s %-10s %-14s %-16s %s\n' phones cases wall_s s_per_phone s_per_case exit
for n in "${counts[@]}"; do
  devices="$work/devices-$n.json"
  {
    echo "{ \"adb\": \"127.0.0.1:$adb_port\", \"devices\": ["
    for ((i = 0; i < n; i++)); do
      port=$((base_port + i))
      if ((i % 2 == 0)); then model="Redmi Note 8"; apps='"mint@3.4.0", "mibrowser@12.1.3"'; else model="Mi 10"; apps='"mint@3.4.3", "mibrowser@12.1.4"'; fi
      sep=$([ $i -lt $((n - 1)) ] && echo , || true)
      echo "  { \"serial\": \"127.0.0.1:$port\", \"virtual\": { \"model\": \"$model\", \"port\": $port, \"rooted\": true, \"apps\": [$apps], \"timeFactor\": 0.1 } }$sep"
    done
    echo "] }"
  } > "$devices"
  out="$work/out-$n"
  start=$(date +%s.%N)
  set +e
  dotnet pwsh run.ps1 -Devices "$devices" -Settle "$settle" -Out "$out" -History "$work/history.db" -NoBuild > "$work/run-$n.log" 2>&1
  code=$?
  set -e
  end=$(date +%s.%N)
  cases=$(grep -c '"kind":"case"' "$out/suite-results.jsonl" 2>/dev/null || echo 0)
  awk -v n="$n" -v c="$cases" -v s="$start" -v e="$end" -v x="$code" \
    'BEGIN { w = e - s; printf "%-7d %-7d %-10.1f %-14.1f %-16.2f %d\n", n, c, w, w / n, (c > 0 ? w / c : 0), x }'
done
echo "logs and outputs: $work"
