#!/usr/bin/env bash
# The HTTP/2 layer alone against mitmproxy's HTTP/2 stack (python h2), the same in-memory workload side by side.
# Usage: bench/Http2LayerBench/run.sh [seconds-per-run]   (default 3; each cell is the best of 3 runs; needs the
# Debian python3-h2 that mitmproxy depends on: apt-get install mitmproxy)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-3}"
/usr/bin/python3 -c 'import h2' 2>/dev/null || { echo "python h2 not found: apt-get install mitmproxy (or python3-h2)" >&2; exit 4; }
dotnet build "$here/Http2LayerBench.csproj" -c Release -v q -nologo >/dev/null
ours="$(dotnet "$here/bin/Release/net10.0/Http2LayerBench.dll" "$seconds")"
peer="$(/usr/bin/python3 "$here/peer.py" "$seconds")"
echo "| body | Harness.Proxy.Http2 (exchanges/s) | python h2, mitmproxy's (exchanges/s) | ratio |"
echo "|---|---|---|---|"
join <(echo "$ours") <(echo "$peer") | while read -r size a b; do
  awk -v s="$size" -v a="$a" -v b="$b" 'BEGIN { printf "| %d B | %d | %d | %.1fx |\n", s, a, b, a / b }'
done
