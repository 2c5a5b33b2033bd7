#!/usr/bin/env bash
# Load benchmarks with wrk (bench/README.md). Every figure is reported beside
# /healthz measured in the same run, as a ratio, so machines compare.
#
#   bench/run.sh                      # SQLite, 100k vehicles (+100k in one account), 1M products
#   VEHICLES=10000 PRODUCTS=50000 DURATION=5s bench/run.sh   # a quick run
#   DATABASE_URL=postgres://… bench/run.sh                   # PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

VEHICLES=${VEHICLES:-100000}
ACCOUNTS=${ACCOUNTS:-10}
# One more account holding this many vehicles alone (the unfiltered list).
LARGE=${LARGE:-100000}
PRODUCTS=${PRODUCTS:-1000000}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
OUT=${OUT:-bench/results.md}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/vitrine
fi

# DATASET=<dir> keeps the generated data there and reuses it on later runs.
if [ -n "${DATASET:-}" ]; then
  WORK=$DATASET
  mkdir -p "$WORK"
  KEEP=1
else
  WORK=$(mktemp -d)
fi
trap 'kill "${PID:-0}" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
DB_ARGS=(--data-dir "$WORK/data")
[ -n "${DATABASE_URL:-}" ] && DB_ARGS+=(--database-url "$DATABASE_URL")
BACKEND=$([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite)

echo "== dataset: $VEHICLES vehicles over $ACCOUNTS accounts, $LARGE in one more, $PRODUCTS products ($BACKEND)"
if [ -s "$WORK/vehicles.json" ] && [ -s "$WORK/large.json" ] && [ -s "$WORK/catalog.json" ]; then
  echo "   reusing the dataset in $WORK"
  gen_secs=$(cat "$WORK/gen_secs" 2>/dev/null || echo "?")
  catalog_secs=$(cat "$WORK/catalog_secs" 2>/dev/null || echo "?")
else
  gen_start=$(date +%s)
  "$BIN" dataset vehicles "${DB_ARGS[@]}" --accounts "$ACCOUNTS" --vehicles "$VEHICLES" > "$WORK/vehicles.json"
  "$BIN" dataset vehicles "${DB_ARGS[@]}" --accounts 1 --vehicles "$LARGE" > "$WORK/large.json"
  catalog_start=$(date +%s)
  "$BIN" dataset catalog "${DB_ARGS[@]}" --products "$PRODUCTS" > "$WORK/catalog.json"
  catalog_secs=$(( $(date +%s) - catalog_start ))
  gen_secs=$(( $(date +%s) - gen_start ))
  echo "$gen_secs" > "$WORK/gen_secs"
  echo "$catalog_secs" > "$WORK/catalog_secs"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
# The load would exceed any per-key rate limit: measure the server, not the limiter.
VITRINE_RATE_LIMIT_PER_MINUTE=0 RUST_LOG=warn "$BIN" serve "${DB_ARGS[@]}" --listen "127.0.0.1:$PORT" > "$WORK/server.log" 2>&1 &
PID=$!
# Start-up applies migrations and refreshes planner statistics (a full
# ANALYZE the first time on a big file): wait up to two minutes.
for _ in $(seq 1 1200); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "$BASE/healthz" >/dev/null || { echo "server did not come up"; cat "$WORK/server.log"; exit 1; }

python3 bench/scripts.py "$WORK" "$PRODUCTS" "$BASE" "$THREADS"

declare -A RPS P50 P99
run() { # name, lua script or "-", url
  local name=$1 script=$2 url=$3 args=()
  [ "$script" != "-" ] && args=(-s "$script")
  echo "== $name"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" "$url" > "$WORK/$name.txt" 2>&1
  RPS[$name]=$(awk '/^Requests\/sec/ {print $2}' "$WORK/$name.txt")
  P50[$name]=$(awk '$1=="50%" {print $2}' "$WORK/$name.txt")
  P99[$name]=$(awk '$1=="99%" {print $2}' "$WORK/$name.txt")
  if grep -q "Non-2xx" "$WORK/$name.txt"; then
    echo "   non-2xx answers: $(grep Non-2xx "$WORK/$name.txt")"
  fi
  echo "   ${RPS[$name]} req/s, p50 ${P50[$name]}, p99 ${P99[$name]}"
}

run healthz - "$BASE/healthz"
run vehicles_list "$WORK/vehicles.lua" "$BASE"
run vehicles_default "$WORK/large.lua" "$BASE"
run vehicles_ativo "$WORK/large_ativo.lua" "$BASE"
run clients_create "$WORK/clients.lua" "$BASE"
run findbysku "$WORK/findbysku.lua" "$BASE"
run findbyname "$WORK/findbyname.lua" "$BASE"
run subcategory "$WORK/subcategory.lua" "$BASE"
run search "$WORK/search.lua" "$BASE"
run checkout "$WORK/checkout.lua" "$BASE"
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")

ratio() { python3 -c "print(f'{float($1)/float($2):.3f}')"; }
{
  echo "# Benchmark results"
  echo
  echo "Run on $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $BACKEND."
  echo "Dataset: $VEHICLES vehicles over $ACCOUNTS accounts and $LARGE in one more account, $PRODUCTS products (80 % simple, 10 % with 3 variations, 10 % with 4 grids, 1,000 subcategories), generated in ${gen_secs}s (\`vitrine dataset catalog --products $PRODUCTS\`: ${catalog_secs}s)."
  echo "Load: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` on the same machine as the server (they share the $(nproc) cores)."
  echo "Peak server RSS over the whole run: $((RSS_KB / 1024)) MiB."
  echo
  echo "| workload | request | req/s | ratio to /healthz | p50 | p99 |"
  echo "|---|---|---:|---:|---:|---:|"
  echo "| healthz | \`GET /healthz\` (one database round trip) | ${RPS[healthz]} | 1.000 | ${P50[healthz]} | ${P99[healthz]} |"
  echo "| vehicles_list | \`GET /api/v1/vehicles?status=ativo&brand=…&year_min=…&price_max=…\`, random account of $ACCOUNTS | ${RPS[vehicles_list]} | $(ratio "${RPS[vehicles_list]}" "${RPS[healthz]}") | ${P50[vehicles_list]} | ${P99[vehicles_list]} |"
  echo "| vehicles_default | \`GET /api/v1/vehicles?page=<1..5>\` (default sort \`-created_at\`, 20 rows, \`total\` included), one account of $LARGE vehicles | ${RPS[vehicles_default]} | $(ratio "${RPS[vehicles_default]}" "${RPS[healthz]}") | ${P50[vehicles_default]} | ${P99[vehicles_default]} |"
  echo "| vehicles_ativo | \`GET /api/v1/vehicles?status=ativo&page=<1..5>\` (the quickstart's call), the same account | ${RPS[vehicles_ativo]} | $(ratio "${RPS[vehicles_ativo]}" "${RPS[healthz]}") | ${P50[vehicles_ativo]} | ${P99[vehicles_ativo]} |"
  echo "| clients_create | \`POST /api/v1/clients\` (PF, random account) | ${RPS[clients_create]} | $(ratio "${RPS[clients_create]}" "${RPS[healthz]}") | ${P50[clients_create]} | ${P99[clients_create]} |"
  echo "| findbysku | \`GET /product/findbysku?sku=S<random>\` | ${RPS[findbysku]} | $(ratio "${RPS[findbysku]}" "${RPS[healthz]}") | ${P50[findbysku]} | ${P99[findbysku]} |"
  echo "| findbyname | \`GET /product/findbyname?name=tinta latex acrilica <random>\` (accent-insensitive) | ${RPS[findbyname]} | $(ratio "${RPS[findbyname]}" "${RPS[healthz]}") | ${P50[findbyname]} | ${P99[findbyname]} |"
  echo "| search | \`GET /product/search?q=<random 5–6 digits>\` (extension: substring of the name, trigram index) | ${RPS[search]} | $(ratio "${RPS[search]}" "${RPS[healthz]}") | ${P50[search]} | ${P99[search]} |"
  echo "| checkout | \`POST cart/addproduct\` + \`POST cart/findcartbyhash\` pipelined (one order each; 1,024 customers, 20 products) — req/s counts both | ${RPS[checkout]} | $(ratio "${RPS[checkout]}" "${RPS[healthz]}") | ${P50[checkout]} | ${P99[checkout]} |"
  echo "| subcategory | \`GET /product/findProductsbySubCategoryUrl?url=sub-<random>&offset=<0..4>\` | ${RPS[subcategory]} | $(ratio "${RPS[subcategory]}" "${RPS[healthz]}") | ${P50[subcategory]} | ${P99[subcategory]} |"
  echo
  echo "Command: \`VEHICLES=$VEHICLES ACCOUNTS=$ACCOUNTS LARGE=$LARGE PRODUCTS=$PRODUCTS DURATION=$DURATION bench/run.sh\`${DATABASE_URL:+ with DATABASE_URL set}."
  # Hand-written notes on the figures travel with them.
  if [ -f bench/reading.md ]; then echo; cat bench/reading.md; fi
} > "$OUT"
cat "$OUT"
