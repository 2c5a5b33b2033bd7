#!/usr/bin/env bash
# Cancellation soak (SQLite by default): rounds of POST /api/v1/clients from
# 64 connections that wrk cuts off mid-flight, each followed by reads that
# authenticate a store token (a write per credential and minute). A request
# cancelled at the wrong instant once left a pooled connection inside a
# transaction holding SQLite's write lock, and every later write failed (see
# Store::begin). Fails on any non-2xx answer or any error in the server log.
#
#   DATASET=/path/from/run.sh bench/soak.sh        # ROUNDS=8 by default
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATASET:?DATASET=<dir> made by bench/run.sh (it holds the data and the wrk scripts)}"
ROUNDS=${ROUNDS:-8}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/vitrine
fi
DB_ARGS=(--data-dir "$DATASET/data")
[ -n "${DATABASE_URL:-}" ] && DB_ARGS+=(--database-url "$DATABASE_URL")

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
LOG=$(mktemp)
VITRINE_RATE_LIMIT_PER_MINUTE=0 RUST_LOG=warn "$BIN" serve "${DB_ARGS[@]}" --listen "127.0.0.1:$PORT" > "$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 1200); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

failed=0
for round in $(seq 1 "$ROUNDS"); do
  writes=$(wrk -t2 -c64 -d4s -s "$DATASET/clients.lua" "$BASE")
  reads=$(wrk -t2 -c32 -d3s -s "$DATASET/findbysku.lua" "$BASE")
  echo "round $round: $(awk '/^Requests\/sec/ {print $2}' <<<"$writes") writes/s, $(awk '/^Requests\/sec/ {print $2}' <<<"$reads") reads/s"
  if grep -q "Non-2xx" <<<"$writes$reads"; then
    grep "Non-2xx" <<<"$writes$reads"
    failed=1
  fi
done
if grep -a -q "ERROR" "$LOG"; then
  echo "errors in the server log:"; grep -a "ERROR" "$LOG" | head -5
  failed=1
fi
[ "$failed" = 0 ] && echo "soak: $ROUNDS rounds, every answer 2xx, no error logged"
exit "$failed"
