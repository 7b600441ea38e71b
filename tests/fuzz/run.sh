#!/usr/bin/env bash
# Fuzz one target with AFL++ through SharpFuzz: tests/fuzz/run.sh TARGET SECONDS
# Builds the target's project, instruments the assemblies under test with the local sharpfuzz tool
# (`dotnet tool restore` installs it), seeds afl-fuzz with corpus/TARGET and stops it after SECONDS.
# Findings go to tests/fuzz/findings/TARGET; every crash is replayed in-process so its stack trace is printed.
# Exit: 0 no crash, 1 crash found, 2 usage, 3 afl-fuzz or the build missing/failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/targets.sh"

target="${1:-}"; seconds="${2:-}"
if [ -z "$target" ] || [ -z "${FUZZ_TARGETS[$target]:-}" ] || ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 TARGET SECONDS; targets: ${FUZZ_ORDER[*]}" >&2; exit 2
fi
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 3; }

read -r project assemblies <<<"${FUZZ_TARGETS[$target]}"
work="$here/.work/$target"
bin="$work/bin"
findings="$here/findings/$target"
rm -rf "$work" "$findings"
mkdir -p "$work" "$findings"

cd "$root"
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed (sharpfuzz)" >&2; exit 3; }
# Built once per project into .build (run-all.sh builds all first and sets FUZZ_SKIP_BUILD=1), then copied:
# sharpfuzz instruments in place and refuses an assembly twice.
build="$here/.build/$project"
if [ "${FUZZ_SKIP_BUILD:-}" != "1" ] || [ ! -f "$build/Harness.Fuzz.$project.dll" ]; then
  "$here/build.sh" "$project" || exit 3
fi
cp -r "$build" "$bin"
# Instrumented code writes to afl's shared memory and only runs under afl: replays use an uninstrumented copy.
plain="$work/plain"
cp -r "$bin" "$plain"
# Seeds must not crash on their own: a crashing seed is a bug already, and afl refuses to start on it.
if ! dotnet "$plain/Harness.Fuzz.$project.dll" "$target" --replay "$here/corpus/$target" >"$work/seeds.log" 2>&1; then
  cat "$work/seeds.log" >&2; echo "$target: a seed input crashes" >&2; exit 1
fi
for assembly in $assemblies; do
  dotnet sharpfuzz "$bin/$assembly" >"$work/instrument-$assembly.log" 2>&1 || { cat "$work/instrument-$assembly.log" >&2; echo "sharpfuzz could not instrument $assembly" >&2; exit 3; }
done


export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
echo "fuzzing $target for ${seconds}s (project $project, instrumented: $assemblies)"
timeout --preserve-status -s INT "$seconds" \
  afl-fuzz -i "$here/corpus/$target" -o "$findings" -t 5000 -m none -- dotnet "$bin/Harness.Fuzz.$project.dll" "$target" >"$work/afl.log" 2>&1
afl_status=$?
stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  tail -30 "$work/afl.log" >&2; echo "$target: afl-fuzz did not start (exit $afl_status)" >&2; exit 3
fi
execs=$(awk -F': ' '/^execs_done/{print $2}' "$stats"); paths=$(awk -F': ' '/^corpus_count/{print $2}' "$stats")
crashes=$(find "$findings/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -type f 2>/dev/null | wc -l)
echo "$target: ${seconds}s, $execs executions, $paths corpus entries, $crashes crash(es), $hangs hang(s)"
if [ "$crashes" -gt 0 ]; then
  for crash in $(find "$findings/default/crashes" -type f ! -name README.txt | head -3); do
    echo "--- $crash"; dotnet "$plain/Harness.Fuzz.$project.dll" "$target" --replay "$crash" 2>&1 | head -25
  done
  exit 1
fi
exit 0
