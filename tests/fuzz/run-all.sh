#!/usr/bin/env bash
# Fuzz every target for SECONDS each: tests/fuzz/run-all.sh SECONDS
# Fails (exit 1) if any target crashed or could not run. Without afl-fuzz it skips with a message,
# except under CI=true, where a missing afl-fuzz is a failure (CI installs the Debian package afl++).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/targets.sh"
seconds="${1:-20}"
if ! command -v afl-fuzz >/dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "fuzz: afl-fuzz is missing: apt-get install afl++ (required under CI=true)" >&2; exit 1; fi
  echo "fuzz: SKIPPED: afl-fuzz is missing (apt-get install afl++)"; exit 0
fi
for project in $(for t in "${FUZZ_ORDER[@]}"; do read -r p _ <<<"${FUZZ_TARGETS[$t]}"; echo "$p"; done | sort -u); do
  "$here/build.sh" "$project" || { echo "fuzz: FAILED: build of $project"; exit 1; }
done
export FUZZ_SKIP_BUILD=1
failed=()
summary="$here/findings/summary.txt"
mkdir -p "$here/findings"; : >"$summary"
for target in "${FUZZ_ORDER[@]}"; do
  "$here/run.sh" "$target" "$seconds" | tee -a "$summary"
  status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || failed+=("$target(exit $status)")
done
if [ ${#failed[@]} -gt 0 ]; then echo "fuzz: FAILED: ${failed[*]}"; exit 1; fi
echo "fuzz: ${#FUZZ_ORDER[@]} targets, ${seconds}s each, no crash"
