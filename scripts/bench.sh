#!/usr/bin/env bash
# Runs the project's benchmarks and writes BENCHMARKS.md from them.
#
#   scripts/bench.sh              # COUNT=6 runs of each benchmark, about 15 minutes on 2 cores
#   COUNT=3 scripts/bench.sh      # quicker, noisier
#
# PostgreSQL and MySQL/MariaDB are measured when OAUTHREG_TEST_POSTGRES /
# OAUTHREG_TEST_MYSQL hold DSNs; .ci/databases.sh sets them for the local
# servers when sourced. Raw outputs stay in bench-out/ for benchstat:
#   go run golang.org/x/perf/cmd/benchstat@latest bench-out/root.txt
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-6}"
OUT=bench-out
mkdir -p "$OUT"

if [ -f .ci/databases.sh ] && [ -z "${OAUTHREG_TEST_POSTGRES:-}${OAUTHREG_TEST_MYSQL:-}" ]; then
  source .ci/databases.sh
fi

{
  echo "date:     $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "go:       $(go version)"
  echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
  echo "memory:   $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
  echo "os:       $(uname -sr)"
  echo "engines:  sqlite (modernc.org/sqlite)${OAUTHREG_TEST_POSTGRES:+, postgres ($(psql -At -h 127.0.0.1 -U postgres -c 'show server_version' 2>/dev/null || echo '?'))}${OAUTHREG_TEST_MYSQL:+, mysql/mariadb ($(mysql -N -h 127.0.0.1 -u root -e 'select version()' 2>/dev/null || echo '?'))}"
  echo "count:    $COUNT runs of each benchmark"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (1/5/15-minute load average at the start; the machine may be shared)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

echo "== core: Authenticate on memstore over 10k and 1M clients cycled and one hot client, each next to its baseline;"
echo "   heap per client, Register, RotateSecret, the hashes (incl. fosite's bcrypt-12 and Ory's PBKDF2)"
go test -run '^$' -bench 'Authenticate|HeapPerClient|Register$|RotateSecret$|Verify|HashGenerated' -benchmem -benchtime "${BENCHTIME:-1s}" -count "$COUNT" -timeout 60m . | tee "$OUT/root.txt"

INSTR=()
if command -v valgrind >/dev/null; then
  echo "== instructions per op (callgrind)"
  scripts/instructions.sh . 'Authenticate$/10k/baseline$' 'Authenticate$/10k/right$' 'Authenticate$/10k/unknown$' \
    'Authenticate$/hot/right$' 'AuthenticatePeppered/10k/right$' | tee "$OUT/instructions.txt"
  INSTR=(-instructions "$OUT/instructions.txt")
else
  echo "== valgrind is missing: no instruction counts (apt-get install valgrind)"
fi

echo "== memstore: GetClient, ListClients first vs deep page at 100k clients"
go test -run '^$' -bench . -benchmem -count "$COUNT" ./memstore | tee "$OUT/memstore.txt"

echo "== sqlstore: Registry and store operations vs raw SQL baselines, per engine"
SQLCOUNT=$(( COUNT > 3 ? 3 : COUNT ))
go test -run '^$' -bench 'RegistryAuthenticateVsBaseline|RegistryRotateSecretVsBaseline|RegistryRegisterVsBaseline|RegistryAuthenticate$|RegistryAuthenticateBaseline$|GetClient|UpdateClient|ListClients100k' \
  -benchmem -benchtime 1s -count "$SQLCOUNT" -timeout 60m ./sqlstore | tee "$OUT/sqlstore.txt"

go run ./internal/benchreport -machine "$OUT/machine.txt" "${INSTR[@]}" -o BENCHMARKS.md "$OUT/root.txt" "$OUT/memstore.txt" "$OUT/sqlstore.txt"
echo "wrote BENCHMARKS.md"
