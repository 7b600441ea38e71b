#!/usr/bin/env bash
# Side by side: ./compare.sh [SIZE_MB] [BASE_REF] [ROUNDS] (defaults 256, main, 2). Builds ScanBench of BASE_REF
# (git archive into a temp folder) and of the working tree, then runs them alternately, ROUNDS times each, on the
# same core with the same seed and size (run.sh's method: whole process on CPU 0, tiered compilation off), and
# prints each run and the ratios of the medians (this build / BASE_REF) for 10 and 1,000 canaries.
set -euo pipefail
cd "$(dirname "$0")"
size="${1:-256}"
base="${2:-main}"
rounds="${3:-2}"
repo="$(git rev-parse --show-toplevel)"
work="$(mktemp -d /tmp/scanbench-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
git -C "$repo" archive "$base" | tar -x -C "$work"
echo "base: $base = $(git -C "$repo" rev-parse --short "$base"); this: $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- harness bench || echo ' + uncommitted changes')"
dotnet build -c Release -v quiet -nologo "$work/bench/ScanBench/ScanBench.csproj" >/dev/null
dotnet build -c Release -v quiet -nologo ScanBench.csproj >/dev/null
if command -v taskset >/dev/null; then pin=(taskset -c 0); else pin=(); fi
declare -a base10 base1000 this10 this1000
for ((r = 1; r <= rounds; r++)); do
  for which in base this; do
    if [[ $which == base ]]; then exe="$work/bench/ScanBench/bin/Release/net10.0/ScanBench"; else exe=bin/Release/net10.0/ScanBench; fi
    out="$("${pin[@]}" "$exe" --size-mb "$size")"
    ten="$(awk '/^10 canaries:/ {print $3}' <<<"$out")"
    thousand="$(awk '/^1000 canaries:/ {print $3}' <<<"$out")"
    echo "round $r $which: 10 canaries $ten MB/s, 1000 canaries $thousand MB/s (load $(cut -d' ' -f1 /proc/loadavg))"
    if [[ $which == base ]]; then base10+=("$ten"); base1000+=("$thousand"); else this10+=("$ten"); this1000+=("$thousand"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
b10=$(median "${base10[@]}"); b1000=$(median "${base1000[@]}"); t10=$(median "${this10[@]}"); t1000=$(median "${this1000[@]}")
awk -v b10="$b10" -v b1000="$b1000" -v t10="$t10" -v t1000="$t1000" 'BEGIN {
  printf "median MB/s: base %.1f / %.1f, this %.1f / %.1f (10 / 1000 canaries)\n", b10, b1000, t10, t1000
  printf "ratio this/base: %.3f (10 canaries), %.3f (1000 canaries)\n", t10 / b10, t1000 / b1000 }'
