#!/usr/bin/env bash
# Measures the project's performance and writes BENCHMARKS.md from it.
#
#   scripts/bench.sh [SECTION...]      # SECTION: all (the default), core, sql, load
#   scripts/bench.sh quick [SECTION...]  # fewer, shorter runs: checks that it all works
#   scripts/bench.sh report            # only rewrite BENCHMARKS.md from bench-out/
#
#   core  Authenticate on memstore over 10k and 1M clients cycled and one hot
#         client, each next to its baseline; heap per client; Register,
#         RotateSecret, the hashes (incl. fosite's bcrypt-12 and Ory's PBKDF2);
#         memstore's GetClient and ListClients; instructions per operation
#         (callgrind, scripts/instructions.sh; skipped without valgrind)
#   sql   sqlstore: Registry and store operations vs raw SQL baselines, and the
#         SQL statements per operation, on every engine configured
#   load  the end-to-end load run (scripts/load.sh; needs wrk)
#
# Every section leaves its raw outputs in bench-out/ (for benchstat:
# go run golang.org/x/perf/cmd/benchstat@latest bench-out/root.txt) with a
# .meta file saying when and at which commit it ran; the report is written
# from everything bench-out/ holds, so running one section refreshes its
# tables and keeps the others' (the report says which commit each section
# measured). On this shared 2-core machine a full run takes about an hour.
#
# Environment: COUNT runs of each benchmark (6; 1 when quick), BENCHTIME
# (1s; 0.2s when quick), ITER iterations under callgrind (20000), and load.sh's (CLIENTS,
# ROUNDS, DURATION, ...). PostgreSQL and MySQL/MariaDB are measured when
# OAUTHREG_TEST_POSTGRES / OAUTHREG_TEST_MYSQL hold DSNs; .ci/databases.sh
# sets them for the local servers when sourced.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench-out
mkdir -p "$OUT"

quick=
sections=()
for arg in "$@"; do
  case $arg in
    quick) quick=1 ;;
    all) sections+=(core sql load) ;;
    core | sql | load | report) sections+=("$arg") ;;
    *) echo "usage: scripts/bench.sh [quick] [all|core|sql|load|report]..." >&2; exit 2 ;;
  esac
done
[ -n "${QUICK:-}" ] && quick=1
[ ${#sections[@]} -eq 0 ] && sections=(core sql load)
if [ -n "$quick" ]; then
  # ITER stays at 20000: at 2000 (a fifth of the 10k population) the counts
  # came out up to twice as high as at 20000, and differed between runs.
  COUNT="${COUNT:-1}" BENCHTIME="${BENCHTIME:-0.2s}" ITER="${ITER:-20000}"
  export ROUNDS="${ROUNDS:-1}" DURATION="${DURATION:-3s}" WARMUP="${WARMUP:-20s}"
else
  COUNT="${COUNT:-6}" BENCHTIME="${BENCHTIME:-1s}" ITER="${ITER:-20000}"
fi
export ITER

if [ -f .ci/databases.sh ] && [ -z "${OAUTHREG_TEST_POSTGRES:-}${OAUTHREG_TEST_MYSQL:-}" ]; then
  source .ci/databases.sh
fi

{
  echo "go:       $(go version)"
  echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
  echo "memory:   $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
  echo "os:       $(uname -sr)"
  echo "engines:  sqlite (modernc.org/sqlite)${OAUTHREG_TEST_POSTGRES:+, postgres ($(psql -At -h 127.0.0.1 -U postgres -c 'show server_version' 2>/dev/null || echo '?'))}${OAUTHREG_TEST_MYSQL:+, mysql/mariadb ($(mysql -N -h 127.0.0.1 -u root -e 'select version()' 2>/dev/null || echo '?'))}"
  # wrk --version exits with 1.
  echo "wrk:      $(if command -v wrk >/dev/null; then (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2; else echo 'not installed (apt-get install -y wrk)'; fi)"
  echo "valgrind: $(valgrind --version 2>/dev/null || echo 'not installed (apt-get install -y valgrind)')"
} >"$OUT/machine.txt"

# commit names the code measured: HEAD, marked when the tree has changes
# (other than this script's outputs).
commit() {
  local c
  c=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain --untracked-files=no -- . ':!BENCHMARKS.md' 2>/dev/null)" ]; then c="$c + uncommitted changes"; fi
  echo "$c"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }

# run SECTION: measures a section and writes its .meta.
run() {
  local s=$1 began load0 measured
  began=$(date -u +%Y-%m-%dT%H:%MZ)
  load0=$(loadavg)
  measured=$(commit)
  "section_$s"
  {
    echo "commit $measured"
    echo "$began to $(date -u +%H:%MZ)"
    case $s in
      core) echo "runs of each benchmark: $COUNT, -benchtime $BENCHTIME, callgrind ITER=$ITER${quick:+ (quick: no 1M population, no ListClients)}" ;;
      sql) echo "runs of each benchmark: $SQLCOUNT, -benchtime $BENCHTIME${quick:+ (quick: no ListClients100k)}" ;;
      load) echo "see its settings below${quick:+ (quick)}" ;;
    esac
    echo "load average $load0 at the start, $(loadavg) at the end"
  } >"$OUT/$s.meta"
}

section_core() {
  echo "== core: Authenticate over 10k and 1M clients cycled and one hot client, each next to its baseline;"
  echo "   heap per client, Register, RotateSecret, the hashes"
  local flags=(-run '^$' -benchmem -benchtime "$BENCHTIME" -timeout 120m)
  # go test -count N runs each benchmark N times in a row; a ratio of runs
  # made next to each other needs rounds: one go test per round, each
  # running every Authenticate case once, in the same order.
  # The 1M population is a gigabyte of live heap: in the process, it makes
  # every allocation of the 10k and hot cases pay for marking it (the hot
  # right-secret case measured 4.5 µs beside it, against 0.5 µs for the
  # same call without the allocation). So each round runs the 10k and hot
  # cases in processes of their own, and the 1M ones (1M-vs-10k needs both
  # populations) after them.
  local auth=('Authenticate$/(10k|hot)/' 'AuthenticatePeppered' 'AuthenticateInterleaved/^10k$/' 'Authenticate$/1M/' 'AuthenticateInterleaved/^1M-')
  local heap='HeapPerClient' rest='Register$|RotateSecret$|Verify|HashGenerated'
  if [ -n "$quick" ]; then
    # No 1M population (building it takes a minute and a gigabyte).
    auth=('Authenticate$/(10k|hot)/' 'AuthenticatePeppered' 'AuthenticateInterleaved/^10k$/') heap='HeapPerClient/10k$' rest='Register$|RotateSecret$|VerifyGenerated|HashGenerated'
  fi
  {
    for i in $(seq 1 "$COUNT"); do
      echo "== core: Authenticate, round $i of $COUNT" >&2
      for a in "${auth[@]}"; do
        go test "${flags[@]}" -count 1 -bench "$a" .
      done
    done
    go test "${flags[@]}" -count "$COUNT" -bench "$heap|$rest" .
  } | tee "$OUT/root.txt"

  echo "== memstore: GetClient, ListClients first vs deep page at 100k clients"
  local mem=.
  [ -n "$quick" ] && mem=GetClient # each ListClients benchmark builds 100k clients
  go test -run '^$' -bench "$mem" -benchmem -benchtime "$BENCHTIME" -count "$COUNT" ./memstore | tee "$OUT/memstore.txt"

  if command -v valgrind >/dev/null; then
    echo "== instructions per op (callgrind, ITER=$ITER)"
    # Counted inside the functions that hold the benchmarks' loops
    # (instructions.sh BENCH=FUNC): the setup is left out exactly.
    local base=github.com/oauthreg/oauthreg_test.benchBaseline auth=github.com/oauthreg/oauthreg_test.benchAuthenticate
    local view=github.com/oauthreg/oauthreg_test.benchAuthenticateView
    local benches=("Authenticate\$/10k/baseline\$=$base" "Authenticate\$/10k/right\$=$auth" "Authenticate\$/10k/right-view\$=$view" "Authenticate\$/10k/unknown\$=$auth" "AuthenticatePeppered\$/10k/right\$=$auth")
    [ -z "$quick" ] && benches+=("Authenticate\$/10k/wrong\$=$auth" "Authenticate\$/10k/wrong-same-id\$=$auth" "Authenticate\$/hot/baseline\$=$base" "Authenticate\$/hot/right\$=$auth")
    scripts/instructions.sh . "${benches[@]}" | tee "$OUT/instructions.txt"
  else
    echo "== valgrind is missing: no instruction counts (apt-get install valgrind)"
    rm -f "$OUT/instructions.txt"
  fi
}

section_sql() {
  echo "== sqlstore: Registry and store operations vs raw SQL baselines, per engine"
  SQLCOUNT=$((COUNT > 3 ? 3 : COUNT))
  local bench='RegistryAuthenticateVsBaseline|RegistryRotateSecretVsBaseline|RegistryRegisterVsBaseline|RegistryAuthenticate$|RegistryAuthenticateBaseline$|GetClient|UpdateClient|ListClients100k'
  [ -n "$quick" ] && bench=${bench%|ListClients100k}
  { go test -run '^$' -bench "$bench" -benchmem -benchtime "$BENCHTIME" -count "$SQLCOUNT" -timeout 60m ./sqlstore
    echo "== sqlstore: SQL statements per operation"
    go test -run '^$' -bench 'Statements' -benchtime 40x -count 1 ./sqlstore
  } | tee "$OUT/sqlstore.txt"
}
SQLCOUNT=$((COUNT > 3 ? 3 : COUNT))

section_load() {
  echo "== load: token requests over HTTP, wrk against the token servers and the baseline"
  scripts/load.sh "$OUT/load.txt"
}

for s in "${sections[@]}"; do
  [ "$s" = report ] || run "$s"
done
go run ./internal/benchreport -dir "$OUT" -o BENCHMARKS.md
echo "wrote BENCHMARKS.md"
