#!/usr/bin/env bash
# Shell commands per second: AdbClient vs spawning adb per command. Needs `adb` (apt-get install adb).
# Starts its own private adb server and a virtual phone, so it runs on a fresh machine. Args: [clientCount] [spawnCount]
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release --project AdbShellBench.csproj -- "$@"
