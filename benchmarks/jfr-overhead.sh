#!/usr/bin/env bash
# What the JFR support costs when no Flight Recording runs, and what a running one costs: the
# bank benchmark at 1 thread (STM_LOG unset) in three arms, BEFORE (a benchmarks jar built from
# the commit before the JFR events, BASE_JAR; its transfer method), AFTER (this tree's jar, no recording) and
# RECORDING (this tree's jar under -XX:StartFlightRecording with the default settings: the STM's
# events enabled, Transaction above 10 ms). One JVM per arm per round, the arms' order rotating
# from round to round so that a machine speeding up or slowing down favours none; each round
# gives one ratio per arm and workload against BEFORE of the same round, and the script prints
# their median and quartiles (single JVMs on this shared machine swing by 15%, neighbours less).
# Usage: BASE_JAR=/path/to/old/benchmarks.jar [ROUNDS=6] [WARMUP=6] [ITERATIONS=5] benchmarks/jfr-overhead.sh [extra JMH options]
# Needs: mvn -B -ntp -o -pl benchmarks -am package -DskipTests here and in the baseline tree; python3.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
base=${BASE_JAR:?BASE_JAR=the baseline benchmarks.jar}
out=$(mktemp -d)
rec=$(mktemp -d)
trap 'rm -rf "$rec"' EXIT
rounds=${ROUNDS:-6}
warmup=${WARMUP:-6}

# run ARM ROUND [JMH options]
run() {
  local j=$jar extra=-XX:+UseParallelGC
  [[ $1 == before ]] && j=$base
  [[ $1 == recording ]] && extra="-XX:+UseParallelGC -XX:StartFlightRecording:filename=$rec/r.jfr"
  env -u STM_LOG java -jar "$j" "BankBenchmark.transfer$" -p impl=stmlog -p skew=uniform,hot -t 1 -f 1 -wi "$warmup" -i "${ITERATIONS:-5}" \
      -jvmArgsAppend "$extra" -rf json -rff "$out/$1-r$2.json" "${@:3}" > "$out/$1-r$2.txt"
  rm -f "$rec"/*.jfr
}

arms=(before after recording)
for r in $(seq "$rounds"); do
  for k in 0 1 2; do run "${arms[$(( (r + k) % 3 ))]}" "$r" "$@"; done
  echo "round $r of $rounds done" >&2
done

python3 - "$out" "$rounds" <<'PY'
import json, sys, os, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
def scores(arm, r):
    return {row["params"]["skew"]: row["primaryMetric"]["score"] for row in json.load(open(os.path.join(out, f"{arm}-r{r}.json")))}
def q(xs):
    xs = sorted(xs)
    if len(xs) < 4: return xs[0], xs[-1]
    qs = statistics.quantiles(xs, n=4)
    return qs[0], qs[2]
print(f"{'skew':8} {'arm':10} {'ops/us':>7} {'ratio':>7} {'q1':>7} {'q3':>7}  per-round ratios (arm / before)")
for skew in ("uniform", "hot"):
    b = [scores("before", r)[skew] for r in range(1, rounds + 1)]
    print(f"{skew:8} {'before':10} {statistics.median(b):7.2f}")
    for arm in ("after", "recording"):
        a = [scores(arm, r)[skew] for r in range(1, rounds + 1)]
        ratios = [x / y for x, y in zip(a, b)]
        lo, hi = q(ratios)
        print(f"{skew:8} {arm:10} {statistics.median(a):7.2f} {statistics.median(ratios):7.3f} {lo:7.3f} {hi:7.3f}  "
              + " ".join(f"{x:.3f}" for x in ratios))
print("raw results:", out)
PY
