#!/usr/bin/env bash
# The tests in one command, all the set-up a fresh machine needs: JDK 17 and Maven 3.8, plus
# Debian's headless Chromium, which the report tests open the generated HTML in (they fail
# without it). Installs Chromium when /usr/bin/chromium is missing (needs root), then runs
# mvn -B -ntp verify. This is what CI runs (.ci/run).
# Usage: ./test.sh
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "test.sh: /usr/bin/chromium is missing; install it (apt-get install -y chromium) or run ./test.sh as root" >&2
        exit 1
    fi
    echo "test.sh: installing Debian's chromium (for the report tests)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y chromium
    if [ ! -x /usr/bin/chromium ]; then
        echo "test.sh: apt-get installed chromium but /usr/bin/chromium is still missing" >&2
        exit 1
    fi
fi

mvn -B -ntp verify
