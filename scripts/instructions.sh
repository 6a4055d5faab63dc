#!/usr/bin/env bash
# Instructions per operation of benchmarks, counted by valgrind's callgrind:
# a figure a busy machine does not move, unlike a time.
#
#   scripts/instructions.sh [PACKAGE] BENCH_REGEXP...
#   scripts/instructions.sh . 'Authenticate$/10k/(baseline|right)$' 'AuthenticatePeppered/10k/right'
#
# Each benchmark runs twice under callgrind, with N and 2N iterations
# (-benchtime Nx); instructions per op are the difference of the two totals
# over N, so the setup both runs share (building a population) cancels out.
# The garbage collector is off (GOGC=off): its background work runs on other
# threads at moments that depend on the wall clock, which made the counts
# of two identical runs differ by thousands per op. What is counted is the
# work of the operation itself, allocation included; what it leaves for the
# collector is its B/op and allocs/op, which the benchmarks report. N
# defaults to 20000 (ITER=...).
#
# BENCH=FUNC counts only the instructions run inside FUNC (a symbol, as
# `go tool nm` prints it; callgrind's --toggle-collect), in one run of N
# iterations, with GOMAXPROCS=1 so the goroutine stays on the thread the
# toggle follows. Name the function holding the benchmark's loop: the setup
# it leaves out (building a population) is not the same in two runs to the
# instruction (map seeds), which moves the N/2N difference by hundreds per
# op, and this count by a few tens at most.
#
#   scripts/instructions.sh . \
#     'AuthenticatePeppered/10k/right=github.com/oauthreg/oauthreg_test.benchAuthenticate'
#
# One benchmark per argument: a pattern that matches two counts both.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=.
if [ $# -gt 0 ] && [ -d "$1" ]; then pkg=$1; shift; fi
ITER="${ITER:-20000}"
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# No cgo and no asynchronous preemption: callgrind aborts on the signals
# they use.
CGO_ENABLED=0 go test -c -o "$tmp/bench.test" "$pkg"
total() { # total instructions of one run of benchmark $1 with $2 iterations
  for _ in 1 2 3 4 5 6 7 8; do # repeated when valgrind kills it (see inside)
    if GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
      "$tmp/bench.test" -test.run '^$' -test.bench "$1" -test.benchtime "$2x" -test.count 1 >/dev/null 2>"$tmp/cg.err"; then
      awk '/^(summary|totals):/ {print $2; exit}' "$tmp/cg.out"
      return
    fi
    grep -q SIGILL "$tmp/cg.err" || break
  done
  cat "$tmp/cg.err" >&2
  exit 1
}
inside() { # instructions inside function $2 of one run of benchmark $1 with $3 iterations
  # A run that valgrind kills (SIGILL on RDTSCP, which the Go runtime's
  # lock spinning executes now and then and valgrind 3.19 does not know)
  # counts 0, and is repeated like a run that counted nothing.
  if ! GOMAXPROCS=1 GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --toggle-collect="$2" \
    --callgrind-out-file="$tmp/cg.out" \
    "$tmp/bench.test" -test.run '^$' -test.bench "$1" -test.benchtime "$3x" -test.count 1 >/dev/null 2>"$tmp/cg.err"; then
    grep -q SIGILL "$tmp/cg.err" || { cat "$tmp/cg.err" >&2; exit 1; }
    echo 0
    return
  fi
  awk '/^(summary|totals):/ {print $2; exit}' "$tmp/cg.out"
}
for bench in "$@"; do
  if [[ $bench == *=* ]]; then
    # A goroutine the scheduler moved to another thread now and then
    # (a system call hands its P over) leaves the toggle behind: almost
    # nothing is counted. Such a run is repeated.
    for _ in 1 2 3 4 5 6 7 8; do
      n=$(inside "${bench%%=*}" "${bench#*=}" "$ITER")
      [ $((n / ITER)) -lt 100 ] || break
    done
    [ $((n / ITER)) -ge 100 ] || { echo "$bench: nothing counted inside ${bench#*=} (is it the function of the benchmark's loop?)" >&2; exit 1; }
    echo "${bench%%=*} $((n / ITER)) instructions/op inside ${bench#*=}"
    continue
  fi
  one=$(total "$bench" "$ITER")
  two=$(total "$bench" $((2 * ITER)))
  echo "$bench $(( (two - one) / ITER )) instructions/op"
done
