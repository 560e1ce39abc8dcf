#!/usr/bin/env bash
# The samples' scaling table, like the original experiment's: for primes (default and --tuned),
# astar and wiki, throughput in serial mode, stm at 1, 2 and 4 threads, and lock at 2 threads;
# then stm 2 threads / stm 1 thread and serial / stm 1 thread (the cost of the STM on one
# thread). ROUNDS=N runs the whole table N times, interleaved, and reports medians, so that
# every column sees the same noise. Each run first warms up for WARMUP seconds (default 5): the
# JIT compiles the server's code for several seconds, and on 2 cores a compiler thread takes
# CPU from the second worker but not from the first. JAVA_OPTS is passed to each JVM.
# Usage: [ROUNDS=3] [WARMUP=5] [JAVA_OPTS=...] samples/scaling.sh [duration seconds, default 5]
# Needs: mvn -B -ntp package -DskipTests (for samples/target/stmlog-samples.jar), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=samples/target/stmlog-samples.jar
duration=${1:-5}
rounds=${ROUNDS:-1}
warmup=${WARMUP:-5}
out=$(mktemp)
configs=("primes" "primes --tuned" "astar" "wiki")
runs=("serial 1" "stm 1" "stm 2" "stm 4" "lock 2")

for r in $(seq "$rounds"); do
  for c in "${configs[@]}"; do
    for run in "${runs[@]}"; do
      set -- $run
      # shellcheck disable=SC2086
      ops=$(env -u STM_LOG java ${JAVA_OPTS:-} -jar "$jar" $c --mode "$1" --threads "$2" --duration "$duration" --warmup "$warmup" \
            | sed -n 's/^RESULT .* ops_per_s=\([0-9.]*\)$/\1/p')
      echo "$c|$1 $2|$ops" >> "$out"
    done
  done
done

python3 - "$out" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    config, run, ops = line.rstrip("\n").split("|")
    rows.setdefault(config, {}).setdefault(run, []).append(float(ops))
cols = ["serial 1", "stm 1", "stm 2", "stm 4", "lock 2"]
print(f"{'sample':16}" + "".join(f"{c:>12}" for c in cols) + f"{'stm2/stm1':>11}{'serial/stm1':>13}")
for config, d in rows.items():
    m = {c: statistics.median(d[c]) for c in cols}
    print(f"{config:16}" + "".join(f"{m[c]:12.1f}" for c in cols)
          + f"{m['stm 2'] / m['stm 1']:11.2f}{m['serial 1'] / m['stm 1']:13.2f}")
n = len(next(iter(rows.values()))["stm 1"])
print(f"(operations per second, median of {n} interleaved round(s); targets: tuned primes and wiki"
      " stm2/stm1 >= 1.8, serial/stm1 <= 1.25)")
PY
rm -f "$out"
