#!/usr/bin/env bash
# Builds the jars of another commit of this repository (default: 495d051, before the read-path
# work of issue #16), so that a script can measure it against this build in the same run:
# `git archive` of the commit into ${TMPDIR:-/tmp}/stmlog-baseline-<commit>, then
# `mvn package -DskipTests` there (nothing is installed into ~/.m2). Built once, reused after.
# Prints the directory (the jars are under <dir>/<module>/target/).
# Usage: benchmarks/baseline.sh [commit]   (MVN="mvn -B -ntp -q -o" to build offline)
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --short "${1:-495d051}")
dir=${TMPDIR:-/tmp}/stmlog-baseline-$commit
if [[ ! -f $dir/.built ]]; then
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "$commit" | tar -x -C "$dir"
  # shellcheck disable=SC2086
  (cd "$dir" && ${MVN:-mvn -B -ntp -q} package -DskipTests >&2)
  touch "$dir/.built"
fi
echo "$dir"
