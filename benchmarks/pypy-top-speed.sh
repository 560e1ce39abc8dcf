#!/usr/bin/env bash
# Times `bin/stmlog top --style pypy` end to end (JVM start included) on 3- and 30-million-record
# C8 logs and prints the medians, with the speed-up over PyPy's print_stm_log.py (7.7 s and 77 s
# on such logs). Usage: benchmarks/pypy-top-speed.sh [RUNS, default 7]
# Needs: mvn -B -ntp -pl analyzer -am package -DskipTests; the logs are made in /tmp if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
times=$(mktemp)
trap 'rm -f "$times"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for n in 3 30; do
  log=/tmp/pypy-${n}m.stmlog
  [ -f "$log" ] || java -cp analyzer/target/test-classes:analyzer/target/classes \
      dev.stmlog.analyzer.pypy.LargePypyLogGenerator "$log" "${n}000000" > /dev/null
  bin/stmlog top --style pypy "$log" > /dev/null 2>&1 # makes the class-data archive if needed
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %M' bin/stmlog top --style pypy "$log" 2>&1 > /dev/null | tail -1
  done > "$times"
  wall=$(cut -d' ' -f1 "$times" | median)
  user=$(cut -d' ' -f2 "$times" | median)
  rss=$(cut -d' ' -f3 "$times" | median)
  awk -v n="$n" -v wall="$wall" -v user="$user" -v rss="$rss" -v runs="$runs" 'BEGIN {
      script = 7.7 * n / 3
      printf "%2dM records: wall %.2f s, user %.2f s, RSS %d MB (medians of %d): %.1fx print_stm_log.py (%.1f s)\n",
             n, wall, user, rss / 1024, runs, script / wall, script }'
done
