#!/usr/bin/env bash
# What a transactional read costs, before and after the read-path work (issue #16, part 3),
# from one run: the runtime benchmarks (bank, a long transaction of 64 reads and 2 writes, the
# read-mostly map) on this build's runtime and on a baseline commit's (default 495d051),
# interleaved: each workload runs on one side, then on the other, the order alternating from
# round to round. The baseline side runs this build's benchmark code on the baseline's runtime
# (its jars first on the class path), so both sides run the same workloads; its `stmlog` (code
# written with Stm.atomic and ref.get()) is the "before" of this build's `stmlog` (the same
# code) and `stmlog-tx` (the transaction handed to the body: Stm.call, ref.get(tx)). `plain`
# is the same work on plain fields (1 thread only), `lock` one global lock, `scalastm` ScalaSTM.
# Prints the medians (ops/us; each JVM's score is the median of its iterations) and ratios
# taken in each round between JVMs run one after the other, then their median [min-max] over
# the rounds: stmlog / plain (1 thread) before and after, and after / before. At 2 threads its
# forks each run at either of the VM's two levels (see benchmarks/two-threads.sh, which compares
# builds at 2 threads in one JVM instead).
# Usage: [ROUNDS=3] [THREADS="1 2"] [BASELINE=495d051] [WARMUP=5] [BENCHES="bank longtx map"]
#        benchmarks/read-path.sh [extra JMH options, e.g. -i 5]
# Needs: benchmarks/target/benchmarks.jar (mvn -B -ntp package -DskipTests), python3; builds the
# baseline once (benchmarks/baseline.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -ntp -q package -DskipTests
base=$(benchmarks/baseline.sh "${BASELINE:-495d051}")
base_cp=$base/instrumented-runtime/target/instrumented-runtime-0.1.0-SNAPSHOT.jar:$base/log-format/target/log-format-0.1.0-SNAPSHOT.jar:$jar
# The baseline side must load the baseline's runtime, not the copy shaded into the jar.
javap -v -cp "$base_cp" dev.stmlog.runtime.Txn | grep -q "^Classfile jar:file:\(//\)\?$base/" \
  || { echo "read-path: the baseline class path does not load $base's runtime" >&2; exit 1; }
rounds=${ROUNDS:-3}
threads=${THREADS:-1 2}
warmup=${WARMUP:-5}
read -r -a groups <<< "${BENCHES:-bank longtx map}"
declare -A regex=([bank]='BankBenchmark.transfer$' [longtx]='LongTransactionBenchmark' [map]='ReadMostlyMapBenchmark')
out=$(mktemp -d)

# impls SIDE THREADS GROUP: what runs on that side (stmlog-tx needs this build's runtime).
impls() {
  local list=stmlog
  [[ $1 == new ]] && list=stmlog,stmlog-tx,scalastm,lock
  [[ $2 == 1 && $3 != map ]] && list=$list,plain
  echo "$list"
}

# run SIDE THREADS GROUP ROUND [JMH options]: one JMH invocation (one JVM per impl and skew).
run() {
  local side=$1 t=$2 g=$3 r=$4 cp=$jar
  [[ $side == base ]] && cp=$base_cp
  env -u STM_LOG java -cp "$cp" org.openjdk.jmh.Main "${regex[$g]}" -p impl="$(impls "$side" "$t" "$g")" -t "$t" \
      -wi "$warmup" -rf json -rff "$out/$side-$g-t$t-r$r.json" "${@:5}" > "$out/$side-$g-t$t-r$r.txt"
}

for r in $(seq "$rounds"); do
  for t in $threads; do
    for g in "${groups[@]}"; do
      if (( r % 2 )); then run new "$t" "$g" "$r" "$@"; run base "$t" "$g" "$r" "$@"
      else run base "$t" "$g" "$r" "$@"; run new "$t" "$g" "$r" "$@"; fi
    done
  done
  echo "round $r of $rounds done" >&2
done

python3 - "$out" "$rounds" "$threads" "${groups[*]}" <<'PY'
import json, os, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
threads, groups = [int(t) for t in sys.argv[3].split()], sys.argv[4].split()
names = {"bank": "bank", "longtx": "long transaction", "map": "read-mostly map"}
def scores(side, g, t, r):
    rows = {}
    for row in json.load(open(os.path.join(out, f"{side}-{g}-t{t}-r{r}.json"))):
        p = row.get("params", {})
        its = [x for fork in row["primaryMetric"]["rawData"] for x in fork]
        rows[(p.get("skew", "-"), p["impl"])] = statistics.median(its)
    return rows
def fmt(xs):
    xs = [x for x in xs if x is not None]
    return f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]" if xs else "-"
print(f"{'workload':26} {'t':>1} | {'before':>7} {'stmlog':>7} {'stm-tx':>7} {'scala':>6} {'lock':>6} {'plain':>6} |"
      f" {'stmlog/plain: before':>21} {'after':>17} {'after, tx':>17} | {'after/before: stmlog':>21} {'stmlog-tx':>17}")
for g in groups:
    for t in threads:
        runs = [(scores("base", g, t, r), scores("new", g, t, r)) for r in range(1, rounds + 1)]
        for skew in sorted({k[0] for b, n in runs for k in n}):
            def col(side, impl):
                xs = [(b if side == "base" else n).get((skew, impl)) for b, n in runs]
                xs = [x for x in xs if x is not None]
                return f"{statistics.median(xs):7.2f}" if xs else f"{'-':>7}"
            def ratio(f):
                xs = []
                for b, n in runs:
                    try: xs.append(f(b, n))
                    except (KeyError, ZeroDivisionError): pass
                return fmt(xs)
            k = lambda impl: (skew, impl)
            label = names[g] + ("" if skew == "-" else f", {skew}")
            print(f"{label:26} {t:>1} | {col('base', 'stmlog')} {col('new', 'stmlog')} {col('new', 'stmlog-tx')}"
                  f" {col('new', 'scalastm')[1:]} {col('new', 'lock')[1:]} {col('new', 'plain')[1:]} |"
                  f" {ratio(lambda b, n: b[k('stmlog')] / b[k('plain')]):>21} {ratio(lambda b, n: n[k('stmlog')] / n[k('plain')]):>17}"
                  f" {ratio(lambda b, n: n[k('stmlog-tx')] / n[k('plain')]):>17} |"
                  f" {ratio(lambda b, n: n[k('stmlog')] / b[k('stmlog')]):>21} {ratio(lambda b, n: n[k('stmlog-tx')] / b[k('stmlog')]):>17}")
print(f"(ops/us, medians of {rounds} round(s); ratios: median [min-max] of the rounds' ratios; before = the baseline's stmlog)")
PY
echo "raw JMH output: $out"
