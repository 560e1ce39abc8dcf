#!/usr/bin/env bash
# This build's runtime against a baseline commit's (default 4dd5850) at 2 threads: the bank
# (1,000 accounts, uniform; stmlog and, in builds that have TLong, stmlog-long), both builds in
# each JVM, taking turns in blocks of a few hundred milliseconds (SameJvmTwoThreads, whose comment
# says why: on this machine a 2-thread score switches between two levels about 2.5x apart every
# few seconds to minutes, so JMH forks of different builds cannot be compared), and with them,
# on the same workload, one global lock and ScalaSTM (the peers of runtime-benchmarks.sh, whose
# 2-thread ratios come from separate forks). Prints each JVM's medians (ops/us) and paired
# ratios, then the median over JVMs of each JVM's median ratio: after / before, and each build
# over each peer.
# Usage: [JVMS=3] [ROUNDS=40] [WARMUP=10] [BASELINE=4dd5850] benchmarks/two-threads.sh
# Needs: the jars of this build (mvn -B -ntp package -DskipTests), python3; builds the baseline
# once (benchmarks/baseline.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[[ -f $jar ]] || mvn -B -ntp -q package -DskipTests
base=$(benchmarks/baseline.sh "${BASELINE:-4dd5850}")
runtime() { echo "$1/instrumented-runtime/target/instrumented-runtime-0.1.0-SNAPSHOT.jar:$1/log-format/target/log-format-0.1.0-SNAPSHOT.jar"; }
out=$(mktemp -d)
jvms=${JVMS:-3}
for j in $(seq "$jvms"); do
  timeout 1200 env -u STM_LOG java -cp "$jar" dev.stmlog.benchmarks.runtime.SameJvmTwoThreads "${WARMUP:-10}" "${ROUNDS:-40}" \
      "before=$(runtime "$base")" "after=$(runtime "$PWD")" peers > "$out/jvm-$j.txt"
  echo "JVM $j of $jvms done" >&2
done

python3 - "$out" "$jvms" <<'PY'
import os, statistics, sys
out, jvms = sys.argv[1], int(sys.argv[2])
ratios = {}
for j in range(1, jvms + 1):
    print(f"JVM {j}:")
    for line in open(os.path.join(out, f"jvm-{j}.txt")):
        f = line.split()
        if f[0] == "ratio":
            name = f"{f[1]} / {f[2]}"
            ratios.setdefault(name, []).append(float(f[3]))
            print(f"  {name:38} median {f[3]} (quartiles {f[4]}-{f[5]}, min {f[6]}, max {f[7]})")
        else:
            print(f"  {f[0]:26} {float(f[1]):6.2f} ops/us (quartiles {float(f[2]):.2f}-{float(f[3]):.2f})")
print("median over the JVMs of each JVM's median ratio [lowest JVM - highest]:")
for name, xs in ratios.items():
    print(f"  {name:38} {statistics.median(xs):.3f} [{min(xs):.3f}-{max(xs):.3f}]")
PY
echo "raw output: $out"
