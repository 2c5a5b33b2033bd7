#!/usr/bin/env bash
# Which tables Citus can distribute as the schema stands (issue 13): starts
# the test harness's Citus cluster (a coordinator and two workers, needs
# ../shared/vendor/citus/build.sh installed), migrates a fresh database,
# offers every table with account_id to create_distributed_table and every
# other table to create_reference_table (foreign keys taken off, then put
# back one by one), and writes Citus's answers to bench/citus-probe.md.
#
#   bench/citus-probe.sh                 # writes bench/citus-probe.md
#   OUT=/tmp/probe.md bench/citus-probe.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-bench/citus-probe.md}"
cargo run -q -p vitrine-testkit --example citus_probe >"$out.tmp"
mv "$out.tmp" "$out"
grep -E '^- ' "$out"
echo "report: $out"
