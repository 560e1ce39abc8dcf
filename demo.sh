#!/usr/bin/env bash
# The main job in one command: build everything, record the primes sample (an HTTP server whose
# callbacks run as transactions) with STM_LOG, print its top conflicts, and write a report.
# Usage: ./demo.sh [OUT_DIR]      (default: demo-out)
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-demo-out}

mvn -B -ntp -q package -DskipTests
mkdir -p "$out"
rm -f "$out/primes.stmlog"

echo "== recording: STM_LOG=$out/primes.stmlog java -jar samples/target/stmlog-samples.jar primes --threads 2 --duration 5"
STM_LOG="$out/primes.stmlog" java -jar samples/target/stmlog-samples.jar primes --threads 2 --duration 5

echo "== top conflicts: java -jar analyzer/target/stmlog.jar top $out/primes.stmlog"
java -jar analyzer/target/stmlog.jar top --no-pager --limit 5 --source-path samples/src/main/java "$out/primes.stmlog"

echo "== report: java -jar analyzer/target/stmlog.jar report -o $out/report $out/primes.stmlog"
java -jar analyzer/target/stmlog.jar report -o "$out/report" "$out/primes.stmlog"
echo "report: $out/report/index.html (with PNG charts and CSV files beside it)"
