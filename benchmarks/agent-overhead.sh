#!/usr/bin/env bash
# What the stmlog agent costs a Clojure program: a conflict-free refs workload
# (benchmarks/clojure/stmlog/bench/agent_overhead.clj: per thread, dosync blocks of an alter, a
# commute and a ref-set on refs of its own) in four arms, run as neighbouring JVMs ROUNDS
# times, the order rotating each round so that a machine speeding up or slowing down favours no
# arm: plain (no agent), noop (an agent that does nothing, with the same manifest capabilities:
# what any -javaagent costs; two runs of 8 rounds measured +2.7..+5.4% here, with and without
# those capabilities), agent loaded with STM_LOG unset (it must not instrument anything), and
# agent recording, also given over the noop run of its round. Each JVM prints the median wall-clock and process CPU ns per transaction of its
# measured rounds (after WARMUPS unmeasured ones); the script prints, per arm and measure, the
# median of those and the median and quartiles of its per-round ratio to the plain run beside
# it. Compare within one run only. The CPU time counts the agent's own threads (its clock ticks
# every 10 ms, the log's flusher) and is less swayed than the wall clock by other work on a shared
# machine (at a load of 7 on 2 cores the wall-clock ratios of neighbouring runs spread over
# -30%..+25%): the process is not charged for the time it waits for a core.
# Usage: [ROUNDS=8] [THREADS=1] [TX=300000] [WARMUPS=8] [MEASURED=7] [AGENT=jar] benchmarks/agent-overhead.sh
#   AGENT: another build of the agent jar to measure (for comparing a change), default the build's.
# Needs: mvn -B -ntp verify (or package) of the agent module: agent/target/stmlog-agent.jar and
# the Clojure jars it copies to agent/target/clojure/1.12.3 (mvn -pl agent dependency:copy@clojure-versions).
set -euo pipefail
cd "$(dirname "$0")/.."
agent=${AGENT:-agent/target/stmlog-agent.jar}
clojure=agent/target/clojure/1.12.3
[[ -f $agent && -d $clojure ]] || { echo "agent-overhead: build the agent first (mvn -B -ntp -pl agent -am verify)" >&2; exit 2; }
cp="$(ls "$clojure"/*.jar | tr '\n' ':')benchmarks/clojure"
rounds=${ROUNDS:-8}
threads=${THREADS:-1}
tx=${TX:-300000}
warmups=${WARMUPS:-8}
measured=${MEASURED:-7}
out=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# run ARM ROUND: one JVM; prints its ns per transaction into $out/ARM-ROUND.
run() {
  local args=(-XX:+UseParallelGC) log=
  [[ $1 == unset || $1 == recording ]] && args+=("-javaagent:$agent")
  [[ $1 == noop ]] && args+=("-javaagent:$out/noop.jar")
  [[ $1 == recording ]] && log="$logs/bench-%p.stmlog"
  env -u STM_LOG ${log:+STM_LOG="$log"} java "${args[@]}" -cp "$cp" clojure.main -m stmlog.bench.agent-overhead \
      "$threads" "$tx" "$warmups" "$measured" 2>"$out/$1-$2.err" > "$out/$1-$2.txt"
  awk '/^ns-per-tx/ { print $2 }' "$out/$1-$2.txt" > "$out/$1-$2"
  awk '/^cpu-ns-per-tx/ { print $2 }' "$out/$1-$2.txt" > "$out/$1-$2.cpu"
  rm -f "$logs"/*.stmlog
}

# The noop arm: an agent whose premain does nothing, with the same manifest capabilities as
# stmlog's, so that what any -javaagent costs this JVM is measured beside what recording costs.
mkdir -p "$out/noop/src" "$out/noop/classes"
printf 'public final class NoopAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) {} }\n' > "$out/noop/src/NoopAgent.java"
printf 'Premain-Class: NoopAgent\nCan-Redefine-Classes: true\nCan-Retransform-Classes: true\n' > "$out/noop/manifest"
javac -d "$out/noop/classes" "$out/noop/src/NoopAgent.java" && jar cfm "$out/noop.jar" "$out/noop/manifest" -C "$out/noop/classes" .

arms=(plain noop unset recording)
for r in $(seq "$rounds"); do
  for i in 0 1 2 3; do run "${arms[$(( (i + r) % 4 ))]}" "$r"; done
  echo "round $r of $rounds done" >&2
done

python3 - "$out" "$rounds" "$threads" "$tx" <<'PY'
import sys, os, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
def ns(arm, r, ext):
    return float(open(os.path.join(out, f"{arm}-{r}{ext}")).read().strip())
print(f"{'measure':8} {'arm':18} {'ns/tx':>8} {'cost':>7} {'q1':>7} {'q3':>7}  per-round costs (%)")
for measure, ext in (("wall", ""), ("cpu", ".cpu")):
    plain = [ns("plain", r, ext) for r in range(1, rounds + 1)]
    noop = [ns("noop", r, ext) for r in range(1, rounds + 1)]
    for arm, base, against in (("plain", plain, ""), ("noop", plain, ""), ("unset", plain, ""), ("recording", plain, ""),
                               ("recording", noop, " / noop")):
        v = [ns(arm, r, ext) for r in range(1, rounds + 1)]
        costs = sorted((x / p - 1) * 100 for x, p in zip(v, base))
        q1, med, q3 = statistics.quantiles(costs, n=4) if len(costs) > 1 else (costs[0],) * 3
        print(f"{measure:8} {arm + against:18} {statistics.median(v):8.1f} {med:6.1f}% {q1:6.1f}% {q3:6.1f}%  "
              + " ".join(f"{c:.0f}" for c in costs))
print(f"({rounds} rounds, {sys.argv[3]} thread(s), {sys.argv[4]} transactions per thread per measured round;"
      " cost = ns/tx over the plain run of the same round - 1; 'recording / noop': over the noop agent's run)")
PY
echo "raw output: $out"
