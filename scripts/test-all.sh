#!/usr/bin/env bash
# The one test command (README): static checks, unit + scenario tests, real-browser tests.
# Ends with a single line "N passed, N failed" summing every suite.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp -d)
passed=0; failed=0

check() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

count_vitest() { # json report file
  if [ -f "$1" ]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTests||0) + (r.testResults||[]).filter(t=>t.status==="failed"&&t.assertionResults.length===0).length)' "$1")
    passed=$((passed + p)); failed=$((failed + f))
  else
    echo "no report at $1: counting the suite as failed"; failed=$((failed + 1))
  fi
}

check "typecheck" npx tsc -p tsconfig.json
check "lint" npx eslint .
check "import boundaries" node scripts/check-imports.mjs
check "formatting (prettier)" npx prettier --check --log-level warn .

echo "== build web app"
if npm run build:web --silent; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: web build"; fi

echo "== unit and scenario tests"
npx vitest run --reporter=default --reporter=json --outputFile="$out/unit.json"
count_vitest "$out/unit.json"

echo "== real-browser tests"
npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile="$out/e2e.json"
count_vitest "$out/e2e.json"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
