#!/usr/bin/env bash
# The one test command (README): static checks, unit + scenario tests, real-browser tests.
# Ends with a single line "N passed, N failed" summing every suite.
#
# What this prints stays small (under 1 KiB when green): each step's full output goes to a log
# file under $CONCLAVE_TEST_LOGS (default: a temporary folder, named at the start), and only a
# summary, and on failure the log's last lines, are printed. A CI runner that reads the output
# only at the end stops a run whose output fills its pipe (64 KiB): that is how a green run of
# ~75 KiB once timed out. A suite that hangs is stopped by `timeout` and counted as failed.
set -u
cd "$(dirname "$0")/.."
out=${CONCLAVE_TEST_LOGS:-$(mktemp -d)}
mkdir -p "$out"
passed=0; failed=0
# Octets of a failed step's log printed (its end: vitest puts the failures and the counts last).
TAIL_BYTES=${CONCLAVE_TEST_TAIL_BYTES:-12000}
# Plain text: ANSI colours would multiply the size of what is printed.
export NO_COLOR=1 FORCE_COLOR=0
echo "== logs: $out"

show_tail() { # log file
  local size
  size=$(wc -c < "$1")
  if [ "$size" -gt "$TAIL_BYTES" ]; then echo "... (the last $TAIL_BYTES of $size octets of $1)"; fi
  tail -c "$TAIL_BYTES" "$1"
}

show_failures() { # vitest log: what failed, and the output of failing tests, without the passes
  local filtered="$1.failures"
  grep -vE "^ +✓ " "$1" > "$filtered"
  show_tail "$filtered"
}

check() { # name, log name, command...
  local name=$1 log="$out/$2.log"; shift 2
  if "$@" > "$log" 2>&1; then
    passed=$((passed + 1)); echo "ok: $name"
  else
    failed=$((failed + 1)); echo "FAILED: $name"; show_tail "$log"
  fi
}

count_vitest() { # name, json report, log, exit status
  local name=$1 json=$2 log=$3 status=$4
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "FAILED: $name did not finish in time (stopped)"
  fi
  if [ -f "$json" ]; then
    local counts p f
    if ! counts=$(node scripts/vitest-report-counts.mjs "$json"); then
      echo "FAILED: $name: its report $json cannot be read: counting the suite as failed"
      failed=$((failed + 1)); show_failures "$log"; return
    fi
    read -r p f <<< "$(head -n 1 <<< "$counts")"
    # vitest exits non-zero for what no test result shows (an unhandled error, a file that did
    # not load): that is a failure too
    if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then
      echo "FAILED: $name: vitest exited with status $status and no failed test"; f=1
    fi
    passed=$((passed + p)); failed=$((failed + f))
    echo "$name: $p passed, $f failed"
    tail -n +2 <<< "$counts"
    if [ "$f" -gt 0 ] || [ "$status" -ne 0 ]; then show_failures "$log"; fi
  else
    echo "FAILED: $name wrote no report: counting the suite as failed"; failed=$((failed + 1))
    show_failures "$log"
  fi
}

run_vitest() { # name, report name, time limit, vitest arguments...
  local name=$1 report=$2 limit=$3; shift 3
  local json="$out/$report.json" log="$out/$report.log"
  echo "== $name"
  rm -f "$json"
  # Console output of passing tests is left out (it is in no log either); a failing test's
  # output is kept, with the failure, in the log.
  timeout --kill-after=60 "$limit" npx vitest run "$@" --silent=passed-only \
    --reporter=default --reporter=json --outputFile="$json" > "$log" 2>&1
  count_vitest "$name" "$json" "$log" $?
}

check "typecheck" typecheck npx tsc -p tsconfig.json
check "lint" lint npx eslint .
check "import boundaries" imports node scripts/check-imports.mjs
check "formatting (prettier)" prettier npx prettier --check --log-level warn .
check "web build" web-build npm run build:web --silent

run_vitest "unit and scenario tests" unit 40m
run_vitest "real-browser tests" e2e 40m --config vitest.e2e.config.ts

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
