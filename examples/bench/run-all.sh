#!/usr/bin/env bash
# Every benchmark of design.md's budgets in one run, then one table (figure, floor or peer, ratio, budget, verdict).
#
#   examples/bench/run-all.sh            # on a fresh clone: builds first
#   examples/bench/run-all.sh --quick    # fewer rounds: a smoke run, not the documented figures
#
# Builds with `mvn -B -q -DskipTests package` (never `install`) when the jar is missing or older than the sources.
# Needs nginx (Debian package; .ci/run installs it); testssl.sh (Debian package) for the TLS-vs-testssl row.
# Each benchmark runs in a JVM of its own; its output is in target/bench/NAME.log. Takes about 5 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=examples/target/gateway-check-bench.jar
if [ ! -f "$JAR" ] || [ -n "$(find api/src core/src examples/src pom.xml */pom.xml -newer "$JAR" -print -quit)" ]; then
  mvn -B -q -DskipTests package
fi
exec "${JAVA:-java}" -cp "$JAR" dev.gatewaycheck.examples.bench.Suite "$@"
