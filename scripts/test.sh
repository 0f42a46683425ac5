#!/usr/bin/env bash
# Runs every test of SpotifySync: unit tests, and integration tests against real parts (a private
# PostgreSQL each test project starts and removes itself, the Spotify emulator on loopback HTTP,
# multi-silo Orleans clusters). Ends with the line "N passed, M failed".
# Needs: the .NET 10 SDK and PostgreSQL's server binaries (installed here via apt-get when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

PG_BIN=$(bash scripts/require-postgres.sh)
export PG_BIN

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

status=0
dotnet build SpotifySync.sln --configuration Release -nologo -v quiet || status=$?
# One test project at a time (-m:1): each starts its own PostgreSQL and Orleans cluster, and the timing
# assertions (spacing, pauses) should be about the system, not about two clusters sharing two cores.
if [ "$status" -eq 0 ]; then
  dotnet test SpotifySync.sln --configuration Release --no-build -m:1 \
    --logger "trx" --results-directory "$results" \
    --logger "console;verbosity=normal" || status=$?
fi

# The whole-system benchmarks in their quick mode: they assert nothing (figures from a shared CI machine would only
# make flaky tests), but a benchmark that cannot run to its end is broken code. Their tables are printed and written
# to a scratch copy, never over the committed docs/benchmarks.md.
benchmarks_failed=0
if [ "$status" -eq 0 ]; then
  for benchmark in throughput scale steady; do
    echo "== benchmark: $benchmark --quick"
    if ! dotnet run --configuration Release --no-build --project tests/SpotifySync.Benchmarks -- \
        "$benchmark" --quick --output "$results/benchmarks.md"; then
      echo "benchmark $benchmark --quick failed" >&2
      benchmarks_failed=$((benchmarks_failed + 1)); status=1
    fi
  done
fi

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done

if [ "$total" -eq 0 ]; then
  echo "no test results found (build failed?)" >&2
  status=${status:-1}; [ "$status" -ne 0 ] || status=1
fi
[ "$benchmarks_failed" -eq 0 ] || echo "$benchmarks_failed quick benchmark run(s) failed" >&2
echo "$passed passed, $failed failed"
exit "$status"
