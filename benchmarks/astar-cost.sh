#!/usr/bin/env bash
# What the STM costs the astar sample on one thread: its throughput in serial mode (plain
# fields, no transactions) over stm mode at 1 thread, in PAIRS pairs of neighbouring JVMs (the
# order inside a pair alternating), for this build and for a baseline commit (default 495d051,
# before the read-path work of issue #16), the two interleaved pair by pair. Prints each pair's
# serial/stm ratio (1.00 = the STM costs nothing) and their median [min-max] per build, and the
# median of the after/before ratios of neighbouring pairs. PyPy-TM aimed at 1.25 at most.
# Usage: [PAIRS=5] [DURATION=10] [WARMUP=5] [BASELINE=495d051] benchmarks/astar-cost.sh [extra astar options]
# Needs: samples/target/stmlog-samples.jar (mvn -B -ntp package -DskipTests), python3; builds the
# baseline once (benchmarks/baseline.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=samples/target/stmlog-samples.jar
[[ -f $jar ]] || mvn -B -ntp -q package -DskipTests
base_jar=$(benchmarks/baseline.sh "${BASELINE:-495d051}")/samples/target/stmlog-samples.jar
pairs=${PAIRS:-5}
duration=${DURATION:-10}
warmup=${WARMUP:-5}
out=$(mktemp -d)

# ops JAR MODE: one run's throughput (ops/s, from its RESULT line).
ops() {
  env -u STM_LOG java -jar "$1" astar --mode "$2" --threads 1 --duration "$duration" --warmup "$warmup" "${@:3}" \
    | sed -n 's/^RESULT .* ops_per_s=\([0-9.]*\)$/\1/p'
}

# pair SIDE JAR N: serial and stm, the order alternating with N; appends "serial stm" to $out/SIDE.
pair() {
  local s t
  if (( $3 % 2 )); then s=$(ops "$2" serial "${@:4}"); t=$(ops "$2" stm "${@:4}")
  else t=$(ops "$2" stm "${@:4}"); s=$(ops "$2" serial "${@:4}"); fi
  echo "$s $t" >> "$out/$1"
}

for n in $(seq "$pairs"); do
  if (( n % 2 )); then pair new "$jar" "$n" "$@"; pair base "$base_jar" "$n" "$@"
  else pair base "$base_jar" "$n" "$@"; pair new "$jar" "$n" "$@"; fi
  echo "pair $n of $pairs done" >&2
done

python3 - "$out" "$duration" "$warmup" <<'PY'
import os, statistics, sys
out = sys.argv[1]
runs = {side: [tuple(map(float, l.split())) for l in open(os.path.join(out, side))] for side in ("base", "new")}
def fmt(xs):
    return f"{statistics.median(xs):.3f} [{min(xs):.3f}-{max(xs):.3f}]"
ratios = {side: [s / t for s, t in rs] for side, rs in runs.items()}
for side, name in (("base", "before"), ("new", "after")):
    print(f"{name:7} serial/stm-1: {fmt(ratios[side])}   pairs (serial, stm ops/s): "
          + ", ".join(f"{s:.0f}/{t:.0f}" for s, t in runs[side]))
print(f"after/before of the slowdown: {fmt([a / b for a, b in zip(ratios['new'], ratios['base'])])}")
print(f"stm-1 after/before (ops/s): {fmt([a[1] / b[1] for a, b in zip(runs['new'], runs['base'])])}")
print(f"({len(ratios['new'])} pairs per build, {sys.argv[2]} s each after a {sys.argv[3]} s warm-up, 1 thread)")
PY
