#!/usr/bin/env bash
# Builds `harness` and the bench in Release and runs the same HTTPS keep-alive load through our proxy and mitmdump.
# Usage: bench/ProxyBench/run.sh [seconds-per-cell] ["extra harness proxy args"]   (default 10; needs mitmdump: apt-get install mitmproxy)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v mitmdump >/dev/null || { echo "mitmdump not found: apt-get install mitmproxy" >&2; exit 4; }
dotnet build "$root/harness/Cli/Harness.Cli.csproj" -c Release -v q -nologo >/dev/null
dotnet build "$here/ProxyBench.csproj" -c Release -v q -nologo >/dev/null
exec dotnet "$here/bin/Release/net10.0/ProxyBench.dll" "$root/harness/Cli/bin/Release/net10.0/harness.dll" "${1:-10}" "${2:-}"
