#!/usr/bin/env bash
# Side by side, in one run: wall time of gateway-check's TLS check of one backend as a whole process (JVM start
# included) versus `testssl.sh -S`, both against the same local nginx (Debian packages nginx and testssl.sh), and
# the ratio. Budget (issue 3): gateway-check at least 20 times faster.
#
#   examples/bench/tls-vs-testssl.sh [runs]      # default 3 runs of each tool, medians compared
#
# gateway-check runs as `java -jar examples/target/gateway-check.jar --checks tls https://127.0.0.1:PORT` once the
# jar has the command-line tool, else as `java -cp examples/target/gateway-check-bench.jar ...bench.TlsOnly URL`.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx missing: apt-get install nginx" >&2; exit 2; }
command -v testssl.sh >/dev/null || command -v testssl >/dev/null \
  || { echo "testssl.sh missing: apt-get install testssl.sh" >&2; exit 2; }
# package, never install: the reactor builds core's test-jar (TestCertificates, Nginx) into the shaded jar
mvn -B -q -pl api,core,examples -am package -DskipTests
exec java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.TlsVsTestssl "${1:-3}"
