#!/usr/bin/env bash
# What recording costs: the stmlog runtime benchmarks with STM_LOG unset and set, in pairs of
# JVMs run one after the other, ROUNDS times. The order inside a pair alternates (plain first,
# then recorded first) so that a machine slowing down or speeding up does not favour either.
# Each pair gives one ratio per benchmark; the script prints their median and quartiles: on a
# shared machine single runs swing by 15%, the ratio of neighbours much less.
#
# Both arms run with the Parallel GC (GC=... to change it). Under G1 a JVM that merely opens a
# log, with every recording call compiled out, measured about 20% slower than one that does not
# (bank uniform, 1 thread, 15 pairs; with -XX:+UseParallelGC: 1.03x), while a plain harness
# outside JMH showed no difference under G1 either: a heap-layout effect on this 50 ns
# transaction, not work the recorder does. Same GC in both arms, so the ratio is what recording
# costs.
# Each JVM warms up for WARMUP iterations of 1 s (default 10), not the benchmarks' 3: at 2
# threads on 2 cores the JIT's compiler thread has no core of its own and compiles for several
# seconds, and a 3-iteration warm-up left measured iterations swinging between 3 and 10 ops/us.
# Usage: [ROUNDS=8] [WARMUP=10] [THREADS="1 2"] [GC=-XX:+UseParallelGC] [BENCHES=regex] benchmarks/recording-overhead.sh [extra JMH options]
#   e.g. ROUNDS=20 THREADS=1 BENCHES=BankBenchmark benchmarks/recording-overhead.sh -p skew=uniform
# Needs: mvn -B -ntp package -DskipTests (for benchmarks/target/benchmarks.jar and the samples jar), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
rounds=${ROUNDS:-8}
threads=${THREADS:-1 2}
benches=${BENCHES:-BankBenchmark|ReadMostlyMapBenchmark}
gc=${GC:--XX:+UseParallelGC}
warmup=${WARMUP:-10}

# run KIND THREADS ROUND [JMH options]: one JVM, KIND plain (STM_LOG unset) or recorded (set).
run() {
  local log=
  [[ $1 == recorded ]] && log="$logs/bench-%p.stmlog"
  env -u STM_LOG ${log:+STM_LOG="$log"} java -jar "$jar" "$benches" -p impl=stmlog -t "$2" -wi "$warmup" -jvmArgsAppend "$gc" \
      -rf json -rff "$out/$1-t$2-r$3.json" "${@:4}" > "$out/$1-t$2-r$3.txt"
  rm -f "$logs"/*.stmlog
}

for r in $(seq "$rounds"); do
  for t in $threads; do
    if (( r % 2 )); then run plain "$t" "$r" "$@"; run recorded "$t" "$r" "$@"
    else run recorded "$t" "$r" "$@"; run plain "$t" "$r" "$@"; fi
  done
  echo "round $r of $rounds done" >&2
done

python3 - "$out" "$rounds" "$threads" "$gc" <<'PY'
import json, sys, os, statistics
out, rounds, threads = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split()]
def scores(kind, t, r):
    return {(".".join(row["benchmark"].rsplit(".", 2)[-2:]), row.get("params", {}).get("skew", "-")): row["primaryMetric"]["score"]
            for row in json.load(open(os.path.join(out, f"{kind}-t{t}-r{r}.json")))}
print(f"{'benchmark':40} {'skew':8} {'t':>2} {'plain':>7} {'recorded':>8} {'cost':>7} {'q1':>7} {'q3':>7}  per-round costs")
for t in threads:
    ratios, plain, rec = {}, {}, {}
    for r in range(1, rounds + 1):
        p, q = scores("plain", t, r), scores("recorded", t, r)
        for key in p:
            ratios.setdefault(key, []).append(q[key] / p[key])
            plain.setdefault(key, []).append(p[key]); rec.setdefault(key, []).append(q[key])
    for key in sorted(ratios):
        costs = sorted((1 - x) * 100 for x in ratios[key])
        q1, med, q3 = statistics.quantiles(costs, n=4) if len(costs) > 1 else (costs[0],) * 3
        print(f"{key[0]:40} {key[1]:8} {t:>2} {statistics.median(plain[key]):7.2f} {statistics.median(rec[key]):8.2f} "
              f"{med:6.1f}% {q1:6.1f}% {q3:6.1f}%  " + " ".join(f"{c:.0f}" for c in costs))
print(f"(GC: {sys.argv[4]}; ops/us medians; cost = 1 - recorded/plain per pair of neighbouring runs, median and quartiles of {rounds} pairs)")
PY
echo "raw JMH output: $out"

# How fast a busy thread's log grows: the bank sample at 1 thread marks every transfer.
if [[ -f samples/target/stmlog-samples.jar ]]; then
  for r in 1 2 3; do
    STM_LOG="$logs/growth.stmlog" java -jar samples/target/stmlog-samples.jar bank --threads 1 --duration 5 --warmup 1 2>/dev/null \
      | awk -v bytes="$(stat -c %s "$logs/growth.stmlog" 2>/dev/null || echo 0)" '/^RESULT/ { print }' > "$out/growth-$r.txt"
    bytes=$(stat -c %s "$logs/growth.stmlog"); rm -f "$logs/growth.stmlog"
    awk -v b="$bytes" '{ for (i = 1; i <= NF; i++) if ($i ~ /^seconds=|^ops=/) { split($i, kv, "="); v[kv[1]] = kv[2] } }
      END { printf "log growth, bank sample, 1 thread, a mark per transfer: %.1f KB/s (%d bytes; %.0f transfers in %.1f s)\n", b / 1024 / v["seconds"], b, v["ops"], v["seconds"] }' "$out/growth-$r.txt"
  done
fi
