#!/usr/bin/env bash
# The tests in one command, all the set-up a fresh machine needs: JDK 17 and Maven 3.8, plus
# Debian's headless Chromium, which the report tests open the generated HTML in, and the npm
# packages that the export tests drive (speedscope's app and schema, Ajv; pinned in
# analyzer/src/test/node/package-lock.json). The tests fail without them, never skip. Installs
# Chromium (and Node.js with npm) when missing (needs root), the npm packages with npm ci, then
# runs mvn -B -ntp verify. This is what CI runs (.ci/run).
# Usage: ./test.sh
set -euo pipefail
cd "$(dirname "$0")"

# apt-get install, as root, of what the tests drive and the machine lacks
install() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "test.sh: $1 is missing; install it (apt-get install -y ${*:2}) or run ./test.sh as root" >&2
        exit 1
    fi
    echo "test.sh: installing Debian's ${*:2} (for the tests)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y "${@:2}"
}

if [ ! -x /usr/bin/chromium ]; then
    install /usr/bin/chromium chromium
    if [ ! -x /usr/bin/chromium ]; then
        echo "test.sh: apt-get installed chromium but /usr/bin/chromium is still missing" >&2
        exit 1
    fi
fi

if ! command -v npm > /dev/null; then
    install npm nodejs npm
fi
npm ci --prefix analyzer/src/test/node --no-audit --no-fund

mvn -B -ntp verify
