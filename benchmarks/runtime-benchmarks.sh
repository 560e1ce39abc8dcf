#!/usr/bin/env bash
# Runs the runtime benchmarks at 1 and 2 threads and prints, from this one run, stmlog against
# ScalaSTM, against one global lock and (1 thread) against plain fields; stmlog-tx is stmlog
# with the transaction handed to the body (Stm.run, ref.get(tx)). Before/after comparisons
# with another commit's runtime: benchmarks/read-path.sh. ROUNDS=N repeats the whole sequence N times,
# interleaved, and reports medians: on a shared machine every column then sees the same noise.
# What recording costs (STM_LOG set against unset) is benchmarks/recording-overhead.sh's job.
# At 2 threads each JMH fork here runs at either of two levels about 2.5x apart, as this VM's
# two vCPUs move between near and far host cores: a 2-thread ratio between forks may compare
# levels, not STMs. benchmarks/two-threads.sh pairs stmlog with the lock and ScalaSTM in one JVM.
# Usage: [ROUNDS=3] benchmarks/runtime-benchmarks.sh [extra JMH options, e.g. -f 2]
# Needs: mvn -B -ntp package -DskipTests (for benchmarks/target/benchmarks.jar), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=$(mktemp -d)
benches='BankBenchmark.transfer$|LongTransactionBenchmark|ReadMostlyMapBenchmark'
rounds=${ROUNDS:-1}

for r in $(seq "$rounds"); do
  for t in 1 2; do
    impls=() # plain fields are for one thread only
    (( t > 1 )) && impls=(-p impl=stmlog,stmlog-tx,scalastm,lock)
    env -u STM_LOG java -jar "$jar" "$benches" -t "$t" "${impls[@]}" -rf json -rff "$out/t$t-r$r.json" "$@" > "$out/t$t-r$r.txt"
  done
done

python3 - "$out" "$rounds" <<'PY'
import json, sys, os, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
def load(t):
    rows = {}
    for r in range(1, rounds + 1):
        for row in json.load(open(os.path.join(out, f"t{t}-r{r}.json"))):
            p = row.get("params", {})
            key = (row["benchmark"].rsplit(".", 2)[-2], p.get("skew", "-"))
            rows.setdefault(key, {}).setdefault(p["impl"], []).append(row["primaryMetric"]["score"])
    return {k: {impl: statistics.median(v) for impl, v in d.items()} for k, d in rows.items()}
print(f"{'benchmark':24} {'skew':8} {'t':>2} {'stmlog':>8} {'stm-tx':>8} {'scalastm':>9} {'lock':>8} {'plain':>8} {'stm/scala':>10} {'stm/lock':>9} {'stm/plain':>10} {'tx/plain':>9}")
for t in (1, 2):
    medians = load(t)
    for key in sorted(medians):
        p = medians[key]; s = p["stmlog"]; x = p.get("stmlog-tx"); f = p.get("plain")
        opt = lambda v, w: f"{v:{w}.2f}" if v else f"{'-':>{w}}"
        print(f"{key[0]:24} {key[1]:8} {t:>2} {s:8.2f} {opt(x, 8)} {p['scalastm']:9.2f} {p['lock']:8.2f} {opt(f, 8)}"
              f" {s / p['scalastm']:10.2f} {s / p['lock']:9.2f} {opt(f and s / f, 10)} {opt(f and x and x / f, 9)}")
print(f"(ops/us, median of {rounds} interleaved round(s); ratios from this run)")
PY
echo "raw JMH output: $out"
