#!/usr/bin/env bash
# How close the default, sampled timing's busy time comes to the time really spent inside
# transactions: ROUNDS JVMs each run TRANSACTIONS transactions of known length (1-3 ms, every
# fifth written) with STM_LOG set; each gives the ratio of the log's busy time (batches'
# samples plus written attempts' exact times) to the time the program measured inside
# Stm.atomic. Prints each ratio and their median, minimum and maximum. With ~150 ticks inside
# transactions per run the sampling error is a few percent; on a loaded machine a preempted
# clock thread widens it. A measurement, not a test: the sampling arithmetic itself is tested
# exactly, with synthetic ticks, in instrumented-runtime's RecordingTest.
# Usage: [ROUNDS=5] [TRANSACTIONS=500] benchmarks/sampled-busy-accuracy.sh
# Needs: mvn -B -ntp package -DskipTests (for benchmarks/target/benchmarks.jar), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
rounds=${ROUNDS:-5}
transactions=${TRANSACTIONS:-500}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
main=dev.stmlog.benchmarks.runtime.TimedTransactions

ratios=()
for ((r = 1; r <= rounds; r++)); do
  log="$logs/timed-$r.stmlog"
  measured=$(env STM_LOG="$log" timeout 300 java -cp "$jar" "$main" run "$transactions" 2>/dev/null)
  read -r busy batched written < <(timeout 120 java -cp "$jar" "$main" busy "$log")
  ratio=$(python3 -c "print(f'{$busy / $measured:.4f}')")
  echo "round $r: log busy $((busy / 1000000)) ms (batched $((batched / 1000000)), written $((written / 1000000))) vs measured $((measured / 1000000)) ms: ratio $ratio"
  ratios+=("$ratio")
done
python3 - "${ratios[@]}" <<'PY'
import statistics, sys
r = sorted(float(x) for x in sys.argv[1:])
print(f"busy/measured over {len(r)} runs: median {statistics.median(r):.4f}, min {r[0]:.4f}, max {r[-1]:.4f}")
PY
