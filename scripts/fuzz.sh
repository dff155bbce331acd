#!/usr/bin/env bash
# Runs every fuzz target in the module (or those whose package matches
# $1, a grep pattern) for FUZZTIME each (default 5m), one at a time on one
# worker, and prints one line per target: package, target, executions and
# new interesting inputs, or FAIL with the failing input's path.
#
#   FUZZTIME=5m bash scripts/fuzz.sh            # the whole campaign
#   FUZZTIME=30s bash scripts/fuzz.sh checks/lock
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5m}"
pattern="${1:-.}"
status=0
while IFS=: read -r file _ line; do
  pkg="./$(dirname "$file")"
  target="$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"$line")"
  log="$(mktemp)"
  if go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 3s -parallel 1 >"$log" 2>&1; then
    execs="$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)"
    interesting="$(grep -oE 'new interesting: [0-9]+' "$log" | tail -1 | cut -d' ' -f3)"
    printf '%s\t%s\tok\t%s execs\t%s new interesting\n' "$pkg" "$target" "${execs:-?}" "${interesting:-?}"
  else
    status=1
    printf '%s\t%s\tFAIL\t%s\n' "$pkg" "$target" "$(grep -oE 'testdata/fuzz/[^ ]+' "$log" | head -1)"
    tail -30 "$log" >&2
  fi
  rm -f "$log"
done < <(git grep -n -E '^func Fuzz' -- '*_test.go' | grep -E "$pattern")
exit "$status"
