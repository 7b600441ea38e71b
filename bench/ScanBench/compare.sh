#!/usr/bin/env bash
# Side by side: ./compare.sh [SIZE_MB] [BASE_REF] [ROUNDS] (defaults 256, main, 2). Builds ScanBench of BASE_REF
# (git archive into a temp folder) and of the working tree, then runs them alternately, ROUNDS times each, on the
# same core with the same seed and size (run.sh's method: whole process on CPU 0, tiered compilation off), and
# prints each run and the ratios of the medians (this build / BASE_REF) for 10 and 1,000 canaries, by process CPU
# time (on a shared machine wall time measures the neighbours too) and by wall time.
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
declare -a base10 base1000 this10 this1000 wbase10 wbase1000 wthis10 wthis1000
for ((r = 1; r <= rounds; r++)); do
  for which in base this; do
    if [[ $which == base ]]; then exe="$work/bench/ScanBench/bin/Release/net10.0/ScanBench"; else exe=bin/Release/net10.0/ScanBench; fi
    out="$("${pin[@]}" "$exe" --size-mb "$size")"
    wall10="$(awk '/^10 canaries:/ {print $3}' <<<"$out")"
    wall1000="$(awk '/^1000 canaries:/ {print $3}' <<<"$out")"
    ten="$(awk '/^by CPU time:/ {print $6}' <<<"$out")"
    thousand="$(awk '/^by CPU time:/ {print $10}' <<<"$out")"
    echo "round $r $which: CPU time $ten / $thousand MB/s, wall $wall10 / $wall1000 MB/s (10 / 1000 canaries; load $(cut -d' ' -f1 /proc/loadavg))"
    if [[ $which == base ]]; then base10+=("$ten"); base1000+=("$thousand"); wbase10+=("$wall10"); wbase1000+=("$wall1000")
    else this10+=("$ten"); this1000+=("$thousand"); wthis10+=("$wall10"); wthis1000+=("$wall1000"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
report() {
  awk -v what="$1" -v b10="$(median "${!2}")" -v b1000="$(median "${!3}")" -v t10="$(median "${!4}")" -v t1000="$(median "${!5}")" 'BEGIN {
    printf "%s, median MB/s: base %.1f / %.1f, this %.1f / %.1f (10 / 1000 canaries); ratio this/base %.3f / %.3f\n", what, b10, b1000, t10, t1000, t10 / b10, t1000 / b1000 }'
}
report "CPU time" 'base10[@]' 'base1000[@]' 'this10[@]' 'this1000[@]'
report "wall time" 'wbase10[@]' 'wbase1000[@]' 'wthis10[@]' 'wthis1000[@]'
