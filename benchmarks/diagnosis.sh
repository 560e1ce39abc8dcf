#!/usr/bin/env bash
# Does `stmlog top` name both sides of the conflicts, and does the runtime's timing mode change
# what it ranks first? Records primes, astar, wiki, bank (4 hot accounts) and planted at 2
# threads, each in both timing modes: the default one (STM_LOG set: quiet commits counted and
# timed by sampling) and exact mode (also STM_LOG_TIMING=exact). Then, per sample, from
# `stmlog top --format json` of each log (benchmarks/diagnosis.py does the arithmetic):
#   1. the both-sides share: the share of lost + paused time charged to sites whose victim and
#      other side are both named by frames (`frames` and `other_frames` not empty);
#   2. the "(no stack ...)" rows among the top 5;
#   3. the default mode's top 5 sites, matched by key (kind + victim frames) in exact mode: their
#      ranks, lost + paused, the same per 1,000 committed transactions and as a share of all
#      lost + paused (the two modes are two runs: compare the normalised figures), differences;
#   4. the same as 3 within one run: the exact log read as the default timing would charge its
#      aborted first attempts (`top --estimate-untimed`) against the same log read exactly;
#   5. for planted: whether rank 1 names the line marked `// planted: read A` as the victim and
#      `// planted: write A` as the other side (and where each planted pair ranks);
# and a summary, one line per sample. ROUNDS=N records everything N times, the order of the two
# modes alternating and the samples' order reversed every other round, and reports medians with
# min..max. Ranks are those of `stmlog top` (sorted by time lost; SORT=total to change it).
# Usage: [ROUNDS=1] [DURATION=5] [WARMUP=0] [SORT=lost] [SAMPLES="primes astar wiki bank planted"] benchmarks/diagnosis.sh
# Needs: python3; builds the jars (mvn -B -ntp -q package -DskipTests) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
samples_jar=samples/target/stmlog-samples.jar
stmlog_jar=analyzer/target/stmlog.jar
[[ -f $samples_jar && -f $stmlog_jar ]] || mvn -B -ntp -q package -DskipTests
rounds=${ROUNDS:-1}
duration=${DURATION:-5}
warmup=${WARMUP:-0}
sort=${SORT:-lost}
read -r -a samples <<< "${SAMPLES:-primes astar wiki bank planted}"
declare -A options=([bank]="--hot 4 --hot-share 0.5") # the others run with their defaults
out=$(mktemp -d)

# record SAMPLE MODE ROUND: one JVM with STM_LOG set (and STM_LOG_TIMING=exact in exact mode),
# then its log's sites as JSON in $out; the log itself is deleted.
record() {
  local name="$out/$1-$2-r$3" timing=
  [[ $2 == exact ]] && timing=exact
  # shellcheck disable=SC2086
  if ! env -u STM_LOG_TIMING STM_LOG="$name.stmlog" ${timing:+STM_LOG_TIMING=$timing} java -jar "$samples_jar" "$1" \
       ${options[$1]:-} --threads 2 --duration "$duration" --warmup "$warmup" > "$name.out" 2> "$name.err"; then
    echo "diagnosis: $1 ($2) failed:" >&2; cat "$name.err" >&2; exit 1
  fi
  java -jar "$stmlog_jar" top --no-pager --format json --sort "$sort" --limit 100000 "$name.stmlog" > "$name.json"
  # the exact log again, its aborted first attempts charged as the default timing would: the
  # estimate against the truth of the same run (the two modes' runs differ more than that)
  [[ $2 == exact ]] && java -jar "$stmlog_jar" top --no-pager --format json --sort "$sort" --limit 100000 \
      --estimate-untimed "$name.stmlog" > "$out/$1-estimate-r$3.json"
  rm -f "$name.stmlog"
}

for r in $(seq "$rounds"); do
  order=("${samples[@]}")
  (( r % 2 )) || for i in "${!samples[@]}"; do order[i]=${samples[${#samples[@]} - 1 - i]}; done
  for s in "${order[@]}"; do
    if (( r % 2 )); then record "$s" default "$r"; record "$s" exact "$r"
    else record "$s" exact "$r"; record "$s" default "$r"; fi
  done
  echo "round $r of $rounds done" >&2
done

python3 benchmarks/diagnosis.py "$out" "$rounds" samples/src/main/java/dev/stmlog/samples/planted/PlantedSample.java "${samples[@]}"
echo "(DURATION=$duration s, WARMUP=$warmup s, 2 threads; JSON and the samples' output: $out)"
