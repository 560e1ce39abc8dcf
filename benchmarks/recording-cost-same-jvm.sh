#!/usr/bin/env bash
# What recording costs a bank transfer (1,000 accounts, uniform, 1 thread), with no mark, a mark
# by name, a Marker's mark and a mark made with the transaction (Stm.atomic(marker, body), in
# builds that have it), before (a baseline commit, default 0faf1fa) and after (this
# build), all four arms in one JVM: each build's runtime is compiled twice from its sources,
# as it is and with STM_LOG ignored (it never records), and SameJvmRecordingCost runs the four
# in class loaders of their own, taking turns, timing blocks of a million transfers in thread
# CPU time. On the shared 2-core machine recording-overhead.sh's neighbouring JVMs swung by up
# to ±50% while other builds ran; this spread stays within about 1 ns per JVM, and each JVM's
# compilation moves a build by up to 2 ns, hence several JVMs. Prints each JVM's ns/op, then
# per build and mode the cost of recording (recorded / unrecorded - 1) in each JVM and their median,
# and what a recorded mark adds to a recorded transfer (the mode's ns less those of none, recorded).
# Usage: [JVMS=3] [ROUNDS=40] [WARMUP=10] [BASELINE=0faf1fa] benchmarks/recording-cost-same-jvm.sh
# Needs: benchmarks/target/benchmarks.jar and log-format/target/log-format-*.jar (mvn -B -ntp
# package -DskipTests), javac, python3; builds the baseline once (benchmarks/baseline.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -ntp -q package -DskipTests
base=$(benchmarks/baseline.sh "${BASELINE:-0faf1fa}")
out=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# build SIDE TREE: compiles TREE's runtime into $out/SIDE-rec and $out/SIDE-never.
build() {
  local formats
  formats=$(ls "$2"/log-format/target/log-format-*.jar | grep -v sources | head -1)
  for kind in rec never; do
    rm -rf "$out/$1-$kind.src" && cp -r "$2/instrumented-runtime/src/main/java" "$out/$1-$kind.src"
    if [[ $kind == never ]]; then
      sed -i 's/String target = System.getenv("STM_LOG");/String target = null;/' "$out/$1-$kind.src/dev/stmlog/runtime/Recorder.java"
      grep -q 'String target = null;' "$out/$1-$kind.src/dev/stmlog/runtime/Recorder.java" \
        || { echo "recording-cost: cannot turn recording off in $2's Recorder.java" >&2; exit 1; }
    fi
    mkdir -p "$out/$1-$kind"
    javac -nowarn -d "$out/$1-$kind" -cp "$formats" $(find "$out/$1-$kind.src" -name '*.java') 2>&1 | grep -v '^Note:' >&2 || true
    [[ -f $out/$1-$kind/dev/stmlog/runtime/Recorder.class ]] || { echo "recording-cost: $2's runtime did not compile" >&2; exit 1; }
    echo "$1-$kind=$out/$1-$kind:$formats"
  done
}
mapfile -t arms < <(build before "$base"; build after .)
(( ${#arms[@]} == 4 )) || { echo "recording-cost: the runtimes did not build" >&2; exit 1; }
jvms=${JVMS:-3}
for j in $(seq "$jvms"); do
  STM_LOG="$logs/cost-%p.stmlog" java -XX:+UseParallelGC -cp "$jar" dev.stmlog.benchmarks.runtime.SameJvmRecordingCost \
      "${WARMUP:-10}" "${ROUNDS:-40}" "${arms[@]}" 2>/dev/null > "$out/jvm-$j.txt"
  rm -f "$logs"/*.stmlog
  echo "JVM $j of $jvms done" >&2
done

python3 - "$out" "$jvms" <<'PY'
import sys, os, statistics
out, jvms = sys.argv[1], int(sys.argv[2])
runs = []
for j in range(1, jvms + 1):
    runs.append({l.split()[0]: float(l.split()[1]) for l in open(os.path.join(out, f"jvm-{j}.txt"))})
print("ns per transfer (thread CPU time, median of the rounds), per JVM:")
for key in runs[0]:
    print(f"  {key:22} " + " ".join(f"{r[key]:6.2f}" for r in runs))
print("cost of recording (recorded / unrecorded - 1), per JVM, and median:")
for side in ("before", "after"):
    for mode in ("none", "byName", "marker", "atomicMarker"):
        rec, never = f"{side}-rec.{mode}", f"{side}-never.{mode}"
        if rec not in runs[0]:
            continue
        costs = [(r[rec] / r[never] - 1) * 100 for r in runs]
        print(f"  {side:6} {mode:12} " + " ".join(f"{c:5.1f}%" for c in costs)
              + f"   median {statistics.median(costs):5.1f}% ({min(costs):.1f}..{max(costs):.1f})")
print("what a recorded mark adds to a recorded transfer (ns; mode less none), per JVM, and median:")
for side in ("before", "after"):
    for mode in ("byName", "marker", "atomicMarker"):
        rec, none = f"{side}-rec.{mode}", f"{side}-rec.none"
        if rec not in runs[0]:
            continue
        adds = [r[rec] - r[none] for r in runs]
        print(f"  {side:6} {mode:12} " + " ".join(f"{a:5.2f}" for a in adds) + f"   median {statistics.median(adds):5.2f}")
PY
echo "raw output: $out"
