#!/usr/bin/env bash
# The end-to-end load run of issue 13: token requests over HTTP on loopback,
# from wrk in a second process, against
#
#   baseline        internal/loadbaseline: net/http, a map lookup, SHA-256 and
#                   a constant-time compare, nothing else
#   memstore        examples/tokenserver, clients in memory (-db memory:)
#   sqlite          examples/tokenserver, clients in a SQLite file
#   fosite-adapter  fosite's token endpoint, clients in an oauthreg Registry
#                   through adapters/fosite (adapters/fosite/loadserver)
#   fosite-default  fosite's token endpoint, clients in its MemoryStore with
#                   its default hasher, bcrypt cost 12
#
# each serving the same number of clients (the baseline the very clients and
# secrets of memstore), every request a client_credentials grant from a
# client drawn at random (scripts/load.lua, HTTP Basic). All servers run for
# the whole run; the targets are measured in turn, ROUNDS times, the order
# rotated every round, so each one meets the machine's other load about as
# often; benchreport compares each to the baseline of the same round.
#
#   scripts/load.sh [OUT]          # OUT defaults to bench-out/load.txt
#   ROUNDS=1 DURATION=3s scripts/load.sh   # quick
#
# Before the measured rounds each server is warmed up with its clients
# presented once each, in order (for at most WARMUP: the warm-up's request
# count is in the output), so that every client has been used once. The Registry records a client's
# last-used time at most once a minute (its default), which on SQLite is a
# write: without the warm-up the first pass over 10k clients would be
# measured as a stream of writes. A minute after the warm-up the clients'
# times come due together and are written again as each is next used: a
# round measured then includes those writes, as a server does once a
# minute per client.
#
# Environment: CLIENTS (10000), ROUNDS (3), DURATION per measurement (10s),
# WARMUP at most per server (60s), CONNECTIONS (16), THREADS (wrk's, 2), TARGETS
# (all five, space-separated). fosite-default is driven over
# SLOW_CONNECTIONS (2) connections only: a bcrypt verification at cost 12
# takes a core for a quarter of a second, so two connections already keep
# both cores busy, and more would leave requests running in the server
# after its turn, stealing the CPU of the next target's. Needs wrk (Debian: apt-get install -y wrk).
# The secrets of the test population are written to a temporary directory,
# read by wrk and the baseline, and deleted at exit with everything else the
# run made; the servers are stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-bench-out/load.txt}"
CLIENTS="${CLIENTS:-10000}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-60s}"
CONNECTIONS="${CONNECTIONS:-16}"
SLOW_CONNECTIONS="${SLOW_CONNECTIONS:-2}"
THREADS="${THREADS:-2}"
TARGETS="${TARGETS:-baseline memstore sqlite fosite-adapter fosite-default}"
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (Debian: apt-get install -y wrk)" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== load: building the servers"
go build -o "$tmp/tokenserver" ./examples/tokenserver
go build -o "$tmp/loadbaseline" ./internal/loadbaseline
(cd adapters/fosite && go build -o "$tmp/fositeload" ./loadserver)

declare -A url
# start NAME PATH CMD...: starts a server in the background and waits until
# it prints where it listens; url[NAME] is then its token endpoint.
start() {
  local name=$1 path=$2
  shift 2
  # The tokenserver reads OAUTHREG_* settings: none of the caller's apply.
  env -u OAUTHREG_CONFIG -u OAUTHREG_DB "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  local pid=$! i
  for i in $(seq 1 1200); do
    if grep -q 'listening on http://' "$tmp/$name.out" 2>/dev/null; then
      url[$name]="$(grep -o -m1 'listening on http://[^ ]*' "$tmp/$name.out" | cut -d' ' -f3)$path"
      echo "   $name: ${url[$name]}"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "load.sh: $name did not start:" >&2; cat "$tmp/$name.err" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "load.sh: $name did not listen within 10 minutes" >&2; exit 1
}
secrets() { # the population file wrk reads for a target
  case $1 in baseline) echo "$tmp/memstore.secrets" ;; *) echo "$tmp/$1.secrets" ;; esac
}

echo "== load: starting the servers, $CLIENTS clients each"
for t in $TARGETS; do
  case $t in
    memstore) start memstore /token "$tmp/tokenserver" -addr 127.0.0.1:0 -db memory: -load-clients "$CLIENTS" -load-secrets "$tmp/memstore.secrets" ;;
    sqlite) start sqlite /token "$tmp/tokenserver" -addr 127.0.0.1:0 -db "$tmp/clients.db" -load-clients "$CLIENTS" -load-secrets "$tmp/sqlite.secrets" ;;
    fosite-adapter) start fosite-adapter /oauth2/token "$tmp/fositeload" -mode adapter -clients "$CLIENTS" -secrets "$tmp/fosite-adapter.secrets" ;;
    fosite-default) start fosite-default /oauth2/token "$tmp/fositeload" -mode default -clients "$CLIENTS" -secrets "$tmp/fosite-default.secrets" ;;
    baseline) ;;
    *) echo "load.sh: unknown target $t" >&2; exit 2 ;;
  esac
done
if [[ " $TARGETS " == *" baseline "* ]]; then
  # The baseline serves memstore's population, so it needs memstore's file.
  if [ ! -f "$tmp/memstore.secrets" ]; then
    start memstore /token "$tmp/tokenserver" -addr 127.0.0.1:0 -db memory: -load-clients "$CLIENTS" -load-secrets "$tmp/memstore.secrets"
  fi
  start baseline /token "$tmp/loadbaseline" -secrets "$tmp/memstore.secrets"
fi

# measure TARGET DURATION [seq]: one wrk run; prints its "LOAD target=..."
# line. With seq, one wrk thread presents the clients in order (the warm-up).
measure() {
  local t=$1 d=$2 mode=${3:-} c=$CONNECTIONS threads line
  [ "$t" = fosite-default ] && c=$SLOW_CONNECTIONS
  threads=$(( THREADS < c ? THREADS : c ))
  [ "$mode" = seq ] && threads=1
  line=$(LOAD_SEQ=$([ "$mode" = seq ] && echo 1) wrk -t"$threads" -c"$c" -d"$d" --timeout 30s --latency -s scripts/load.lua "${url[$t]}" -- "$(secrets "$t")" | grep '^LOAD ') ||
    { echo "load.sh: wrk failed on $t" >&2; exit 1; }
  echo "LOAD target=$t connections=$c ${line#LOAD }"
}

{
  echo "# load: clients=$CLIENTS rounds=$ROUNDS duration=$DURATION connections=$CONNECTIONS slow_connections=$SLOW_CONNECTIONS threads=$THREADS wrk=\"$( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)\""
  echo "# load average at the start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
} | tee "$OUT"
read -r -a order <<<"$TARGETS"
echo "== load: warming up each server, its clients once each in order (at most $WARMUP)"
for t in "${order[@]}"; do
  # The figures of the warm-up say whether it went through every client.
  # fosite-default answers a few requests a second and keeps nothing per
  # client that a first use would build: a few seconds warm it up.
  w=$WARMUP
  [ "$t" = fosite-default ] && w=3s
  echo "# warm-up $(measure "$t" "$w" seq | cut -d' ' -f2-5)" | tee -a "$OUT"
done
for r in $(seq 1 "$ROUNDS"); do
  echo "== load: round $r of $ROUNDS"
  n=${#order[@]}
  for i in $(seq 0 $((n - 1))); do
    t=${order[$(((i + r - 1) % n))]}
    echo "$(measure "$t" "$DURATION") round=$r" | tee -a "$OUT"
  done
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" | tee -a "$OUT"
if grep -E '^LOAD ' "$OUT" | grep -qvE 'non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0'; then
  echo "load.sh: some requests failed (see non2xx and the *_err counts above)" >&2
fi
