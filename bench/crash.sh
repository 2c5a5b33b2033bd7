#!/usr/bin/env bash
# Longer crash test (issue #8): the built vitrine binary under a write load
# on both APIs, SIGKILLed at random moments and restarted on the same data,
# every acknowledged write read back after each restart.
#
#   bench/crash.sh                      # 30 rounds on SQLite and PostgreSQL
#   VITRINE_CRASH_ROUNDS=200 bench/crash.sh
#   VITRINE_CRASH_SEED=12345 bench/crash.sh   # replay a run's kill moments
#   bench/crash.sh sqlite               # one backend only
#
# Not timed and not part of `cargo test` beyond its 3 short default rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
export VITRINE_CRASH_ROUNDS="${VITRINE_CRASH_ROUNDS:-30}"
filter="${1:-sigkill_loses_no_acknowledged_write}"
exec cargo test -p vitrine-server --test crash -- --nocapture --test-threads=1 "$filter"
