#!/usr/bin/env bash
# Runs the runtime benchmarks at 1 and 2 threads, then the stmlog ones again with STM_LOG set,
# and prints, from this one run: stmlog against ScalaSTM and one global lock, and what
# recording costs. Usage: benchmarks/runtime-benchmarks.sh [extra JMH options, e.g. -f 2]
# Needs: mvn -B -ntp install -DskipTests (for benchmarks/target/benchmarks.jar), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
benches='BankBenchmark|ReadMostlyMapBenchmark'

for t in 1 2; do
  env -u STM_LOG java -jar "$jar" "$benches" -t "$t" -rf json -rff "$out/plain-t$t.json" "$@" > "$out/plain-t$t.txt"
  STM_LOG="$logs/bench-%p.stmlog" java -jar "$jar" "$benches" -p impl=stmlog -t "$t" -rf json -rff "$out/recorded-t$t.json" "$@" > "$out/recorded-t$t.txt"
  rm -f "$logs"/*.stmlog
done

python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
def load(name):
    rows = {}
    for r in json.load(open(os.path.join(out, name))):
        p = r.get("params", {})
        key = (r["benchmark"].rsplit(".", 2)[-2], p.get("skew", "-"))
        rows.setdefault(key, {})[p["impl"]] = r["primaryMetric"]["score"]
    return rows
print(f"{'benchmark':24} {'skew':8} {'t':>2} {'stmlog':>8} {'scalastm':>9} {'lock':>8} {'stm/scala':>10} {'stm/lock':>9} {'recorded':>9} {'rec cost':>9}")
for t in (1, 2):
    plain, rec = load(f"plain-t{t}.json"), load(f"recorded-t{t}.json")
    for key in sorted(plain):
        p = plain[key]; s = p["stmlog"]; r = rec.get(key, {}).get("stmlog")
        cost = f"{(1 - r / s) * 100:8.1f}%" if r else "-"
        print(f"{key[0]:24} {key[1]:8} {t:>2} {s:8.2f} {p['scalastm']:9.2f} {p['lock']:8.2f} {s / p['scalastm']:10.2f} {s / p['lock']:9.2f} {r or 0:9.2f} {cost:>9}")
print("(ops/us; ratios from this run; 'rec cost' = throughput lost with STM_LOG set)")
PY
echo "raw JMH output: $out"
