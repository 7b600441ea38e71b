#!/usr/bin/env bash
# Builds one fuzz project into tests/fuzz/.build/PROJECT (uninstrumented): tests/fuzz/build.sh Proxy|Adb|Leaks|Config
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$1"
out="$here/.build/$project"
log="$(mktemp)"
for attempt in 1 2 3; do
  if dotnet build "$here/$project/Harness.Fuzz.$project.csproj" -c Release -nologo -v q -clp:ErrorsOnly -o "$out" >"$log" 2>&1; then rm -f "$log"; exit 0; fi
  # Other builds in the same checkout can hold a file for a moment.
  sleep 5
done
cat "$log" >&2; rm -f "$log"
echo "build of $project failed" >&2
exit 1
