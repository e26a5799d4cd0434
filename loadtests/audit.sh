#!/usr/bin/env bash
# The invariant audit of a Stockroom database: prints each check and its result, exits non-zero on any violation.
#
#   loadtests/audit.sh <jdbc-url> <user> <password> [answered-holds-file]
#
# answered-holds-file lists the Idempotency-Key of every hold the load tool was answered 201 for, one a line (the
# simulations write target/stack/<Simulation>-held-keys.txt); without it that comparison is skipped.
set -euo pipefail
if [ "$#" -lt 3 ]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"

exec "$here/../mvnw" -q -f "$here/pom.xml" compile exec:java -Dexec.args="$*"
