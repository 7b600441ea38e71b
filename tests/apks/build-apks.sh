#!/usr/bin/env sh
# Regenerates the virtual APKs of tests/apks from harness/VirtualDevice/Browsers/BrowserCatalog.cs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dotnet run --file "$here/build-apks.cs" -- "$here"
