#!/usr/bin/env bash
# CLI start budget, side by side in one run: wall time of `java -jar gateway-check.jar --checks tls,probe URL`
# (JVM start included, until the process exits after printing its report) versus a bare JDK program that makes the
# same single TLS request (`...bench.BareTlsRequest URL ca.pem`), both against the same real nginx serving TLS on
# loopback with a private CA that both trust. Budget (issue 12): at most 1.5x. Medians of N runs each,
# interleaved, after one uncounted warm-up run of each.
#
#   examples/bench/cli-start.sh [runs]          # default 10
#   JAVA_OPTS="-XX:TieredStopAtLevel=1" examples/bench/cli-start.sh   # JVM flags for both programs
#
# Builds with `mvn -B -q -DskipTests package` when the jar is missing (never `install`). Needs nginx
# (/usr/sbin/nginx, Debian package). The backend is nginx started by ...bench.TlsBackend; it is stopped at exit
# (its standard input is closed, then its PID is killed if still alive).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-10}"
case "$RUNS" in ''|*[!0-9]*) echo "runs must be a number, got '$RUNS'" >&2; exit 2;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 200 ] || { echo "runs must be 1-200" >&2; exit 2; }
[ -x /usr/sbin/nginx ] || { echo "nginx missing: apt-get install nginx" >&2; exit 2; }
JAR=examples/target/gateway-check.jar
BENCH=examples/target/gateway-check-bench.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || mvn -B -q -DskipTests package
JAVA="${JAVA:-java}"
read -r -a OPTS <<< "${JAVA_OPTS:-}"

TMP="$(mktemp -d /tmp/gatewaycheck-clistart.XXXXXX)"
SRV_PID=""
BACKEND_IN=""
cleanup() {
  if [ -n "${SRV_PID}" ]; then
    [ -n "${BACKEND_IN}" ] && exec {BACKEND_IN}>&-    # closing its stdin makes TlsBackend stop nginx and exit
    for _ in $(seq 1 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
    kill "$SRV_PID" 2>/dev/null || true           # still there after 5 s: its shutdown hook stops nginx
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

coproc BACKEND { exec "$JAVA" -cp "$BENCH" dev.gatewaycheck.examples.bench.TlsBackend "$TMP"; }
SRV_PID=$BACKEND_PID
BACKEND_IN=${BACKEND[1]}
read -r -t 30 -u "${BACKEND[0]}" _ PORT _ NGINX_PID _ CA || { echo "the backend did not start" >&2; exit 1; }
URL="https://127.0.0.1:$PORT"

OURS=("$JAVA" "${OPTS[@]}" -jar "$JAR" --checks tls,probe --ca "$CA" "$URL")
BARE=("$JAVA" "${OPTS[@]}" -cp "$BENCH" dev.gatewaycheck.examples.bench.BareTlsRequest "$URL" "$CA")
echo "machine: $(nproc) cores; $("$JAVA" -version 2>&1 | head -1); nginx $(/usr/sbin/nginx -v 2>&1 | sed 's|.*/||') pid $NGINX_PID"
echo "gateway-check: ${OURS[*]}"
echo "bare:          ${BARE[*]}"

# one uncounted run of each (page cache, nginx worker); both must succeed or the comparison is meaningless
"${OURS[@]}" > "$TMP/report.txt" || { cat "$TMP/report.txt"; echo "gateway-check found the backend unhealthy" >&2; exit 1; }
"${BARE[@]}" > "$TMP/bare.txt" || { cat "$TMP/bare.txt"; echo "the bare request failed" >&2; exit 1; }
sed -n '1p;/timings:/p' "$TMP/report.txt" | sed 's/^/  report: /'
echo "  bare:   $(cat "$TMP/bare.txt")"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
ours=(); bare=()
for i in $(seq 1 "$RUNS"); do
  t=$(date +%s%N); "${OURS[@]}" > /dev/null || { echo "run $i: gateway-check unhealthy" >&2; exit 1; }; ours+=("$(ms "$t")")
  t=$(date +%s%N); "${BARE[@]}" > /dev/null || { echo "run $i: bare request failed" >&2; exit 1; }; bare+=("$(ms "$t")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
mo=$(median "${ours[@]}"); mb=$(median "${bare[@]}")
echo "gateway-check runs (ms): ${ours[*]}  median $mo"
echo "bare          runs (ms): ${bare[*]}  median $mb"
awk -v o="$mo" -v b="$mb" 'BEGIN { r = o / b; printf "ratio gateway-check / bare = %.2fx (budget <= 1.5x): %s\n", r, (r <= 1.5 ? "MET" : "MISSED"); exit (r <= 1.5 ? 0 : 3) }'
