#!/usr/bin/env bash
# How fast `stmlog top` reads a large log, end to end: the real launcher (bin/stmlog, JVM start
# included) with -Xmx256m, on logs written through the public writer API by
# dev.stmlog.benchmarks.format.AnalyzerLogGenerator, of two kinds:
#   mixed    60% exactly timed attempts, 15% conflicts (a contention with stacks, an abort and a
#            backoff wait), 15% batches of quiet commits, 10% marks; 4 threads
#   commits  starts and commits only; 4 threads
# For each kind a small and a large log (SMALL and LARGE events); each round runs every arm on
# both, interleaved (the order of the arms and of the sizes alternates from round to round, so
# that a machine getting busier or quieter favours none). The marginal rate of a round is
# (large - small events) / (large - small wall seconds): JVM start, class loading and the JIT's
# first compilations cancel out. The script prints, per kind and arm, the median marginal rate in
# M events/s and MB/s with its range over the rounds, the marginal CPU time (user + sys) per
# event, the largest resident size, and each arm's rate against the baseline's in the same round.
# Arms:
#   baseline  the analyzer as of BASELINE (a commit; default 205c9af, before parallel decoding),
#             built from `git archive` in a temporary directory (BASELINE=none: no baseline)
#   default   this tree as it runs by default (on 2 processors: the reading thread alone)
#   parallel  this tree with DECODERS decoder threads (default 1: -Dstmlog.decoders=1)
# A failed run (an OutOfMemoryError under -Xmx256m, say) stops the script.
# Usage: [ROUNDS=5] [SMALL=4M] [LARGE=60M] [THREADS=4] [KINDS="mixed commits"] [BASELINE=205c9af]
#        [ARMS="baseline default parallel"] [DECODERS=1] [LOGS=dir, to keep the logs there and reuse them]
#        benchmarks/analyzer-throughput.sh
# Needs: git, python3, Maven with the dependencies cached (it builds with mvn -o), /usr/bin/time
# for the CPU time and resident size (without it, only wall times).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
small=${SMALL:-4M}
large=${LARGE:-60M}
threads=${THREADS:-4}
baseline=${BASELINE:-205c9af}
read -r -a kinds <<< "${KINDS:-mixed commits}"
read -r -a arms <<< "${ARMS:-baseline default parallel}"
[[ $baseline == none ]] && arms=("${arms[@]/baseline}") && read -r -a arms <<< "${arms[*]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
logs=${LOGS:-$work}
mkdir -p "$logs"

echo "building analyzer and benchmarks (mvn -o package -DskipTests)..." >&2
mvn -B -ntp -o -q package -DskipTests -pl analyzer,benchmarks -am
if [[ " ${arms[*]} " == *" baseline "* ]]; then
  echo "building the baseline, $baseline, in $work/baseline..." >&2
  mkdir -p "$work/baseline"
  git archive "$baseline" | tar -x -C "$work/baseline"
  (cd "$work/baseline" && mvn -B -ntp -o -q package -DskipTests -pl analyzer -am)
fi

# The logs, and their sizes in events and bytes (the generator's last line: events=N bytes=B).
declare -A events bytes
for kind in "${kinds[@]}"; do
  for size in small large; do
    n=$small; [[ $size == large ]] && n=$large
    log="$logs/$kind-$n-t$threads.stmlog"
    if [[ ! -f $log.info ]]; then
      java -cp benchmarks/target/benchmarks.jar dev.stmlog.benchmarks.format.AnalyzerLogGenerator "$log" "$n" \
          --kind "$kind" --threads "$threads" | tee /dev/stderr | tail -1 > "$log.info"
    fi
    read -r e b < <(sed 's/events=\([0-9]*\) bytes=\([0-9]*\)/\1 \2/' "$log.info")
    events[$kind-$size]=$e
    bytes[$kind-$size]=$b
  done
done

launcher() {
  case $1 in
    baseline) echo "$work/baseline/bin/stmlog" ;;
    *) echo bin/stmlog ;;
  esac
}
java_opts() {
  case $1 in
    parallel) echo "-Xmx256m -Dstmlog.decoders=${DECODERS:-1}" ;;
    *) echo "-Xmx256m" ;;
  esac
}

timer=/usr/bin/time
[[ -x $timer ]] || timer=
results="$work/results.tsv"
: > "$results"
# run ARM KIND SIZE ROUND: one `stmlog top`; appends kind, arm, round, size, wall ns, user s, sys s, max RSS KB
run() {
  local log="$logs/$2-$([[ $3 == large ]] && echo "$large" || echo "$small")-t$threads.stmlog" t0 t1 cpu="- - -"
  t0=$(date +%s%N)
  if [[ -n $timer ]]; then
    STMLOG_JAVA_OPTS=$(java_opts "$1") $timer -o "$work/time" -f '%U %S %M' "$(launcher "$1")" top --no-pager "$log" > /dev/null
    t1=$(date +%s%N)
    cpu=$(tail -1 "$work/time")
  else
    STMLOG_JAVA_OPTS=$(java_opts "$1") "$(launcher "$1")" top --no-pager "$log" > /dev/null
    t1=$(date +%s%N)
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$1" "$4" "$3" "$((t1 - t0))" "${cpu// /$'\t'}" >> "$results"
}

load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
# First runs make each launcher's class-data archive; they are not counted.
for arm in "${arms[@]}"; do
  STMLOG_JAVA_OPTS=$(java_opts "$arm") "$(launcher "$arm")" top --no-pager "$logs/${kinds[0]}-$small-t$threads.stmlog" > /dev/null
done
for r in $(seq "$rounds"); do
  order=("${arms[@]}")
  (( r % 2 )) || for i in "${!arms[@]}"; do order[i]=${arms[${#arms[@]} - 1 - i]}; done
  for kind in "${kinds[@]}"; do
    for arm in "${order[@]}"; do
      if (( r % 2 )); then run "$arm" "$kind" small "$r"; run "$arm" "$kind" large "$r"
      else run "$arm" "$kind" large "$r"; run "$arm" "$kind" small "$r"; fi
    done
  done
  echo "round $r of $rounds done" >&2
done

sizes=""
for kind in "${kinds[@]}"; do
  sizes+="$kind ${events[$kind-small]} ${bytes[$kind-small]} ${events[$kind-large]} ${bytes[$kind-large]};"
done
load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
python3 - "$results" "$sizes" "$baseline" "$(nproc)" "$load_before -> $load_after" <<'PY'
import statistics, sys
from collections import defaultdict
results, sizes, baseline, cores, load = sys.argv[1:6]
size = {}
for part in filter(None, sizes.split(";")):
    k, es, bs, el, bl = part.split()
    size[k] = (int(es), int(bs), int(el), int(bl))
runs = defaultdict(dict)  # (kind, arm, round) -> size -> (wall s, cpu s, rss KB)
for line in open(results):
    kind, arm, rnd, sz, wall, user, sys_, rss = line.rstrip("\n").split("\t")
    cpu = None if user == "-" else float(user) + float(sys_)
    runs[(kind, arm, int(rnd))][sz] = (int(wall) / 1e9, cpu, None if rss == "-" else int(rss))
kinds = list(dict.fromkeys(k for k, _, _ in runs))
arms = list(dict.fromkeys(a for _, a, _ in runs))
rounds = sorted({r for _, _, r in runs})

def spread(xs, fmt):
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}..{fmt.format(max(xs))})"

print(f"stmlog top -Xmx256m, marginal rate (large - small log) over {len(rounds)} rounds, {cores} cores; "
      f"load average {load}; medians (min..max):")
for kind in kinds:
    es, bs, el, bl = size[kind]
    print(f"\n{kind}: {el:,} - {es:,} events, {bl / 1e6:.0f} - {bs / 1e6:.0f} MB ({bl / el:.2f} bytes/event)")
    rate = {}
    for arm in arms:
        ev, mb, cpu, rss, small_s, large_s = [], [], [], [], [], []
        done = []
        for r in rounds:
            x = runs.get((kind, arm, r))
            if not x or "small" not in x or "large" not in x: continue
            (ws, cs, _), (wl, cl, rl) = x["small"], x["large"]
            done.append(r)
            small_s.append(ws)
            large_s.append(wl)
            ev.append((el - es) / (wl - ws) / 1e6)
            mb.append((bl - bs) / (wl - ws) / 1e6)
            if cs is not None: cpu.append((cl - cs) / (el - es) * 1e9)
            if rl is not None: rss.append(rl / 1024)
        rate[arm] = dict(zip(done, ev))
        name = baseline if arm == "baseline" else arm
        # the rounds' marginal rates, and the rate between the median wall times (steadier
        # when a round's small and large runs met different loads)
        of_medians = (el - es) / (statistics.median(large_s) - statistics.median(small_s)) / 1e6
        # and between the best wall times: what the machine does when nothing else runs
        of_best = (el - es) / (min(large_s) - min(small_s)) / 1e6
        mb_per_event = (bl - bs) / (el - es)
        print(f"  {name:10} {spread(ev, '{:.1f}')} M events/s, {spread(mb, '{:.0f}')} MB/s")
        line = (f"             of median walls ({statistics.median(small_s):.2f} s, {statistics.median(large_s):.2f} s):"
                f" {of_medians:.1f} M events/s, {of_medians * mb_per_event:.0f} MB/s;"
                f" of best walls ({min(small_s):.2f} s, {min(large_s):.2f} s): {of_best:.1f} M events/s,"
                f" {of_best * mb_per_event:.0f} MB/s")
        print(line)
        line = ""
        if cpu: line += f"             cpu (user + sys) {spread(cpu, '{:.1f}')} ns/event"
        if rss: line += f"; max RSS {max(rss):.0f} MB"
        if line: print(line)
    if "baseline" in rate:
        for arm in arms:
            if arm == "baseline": continue
            ratios = [rate[arm][r] / rate["baseline"][r] for r in rounds if r in rate[arm] and r in rate["baseline"]]
            if ratios: print(f"  {arm} / {baseline}: {spread(ratios, '{:.2f}x')}")
PY
