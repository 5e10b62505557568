#!/usr/bin/env bash
# Real-time benchmark: starts the service on a fresh store, creates an analyst API key, warms up, then drives
# POST /api/v1/events with wrk on loopback. Usage: app/bench/realtime.sh [h2|postgres] [seconds] [connections]
# PostgreSQL: LEAK_BENCH_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test), a fresh schema per run.
set -euo pipefail
store=${1:-h2}; secs=${2:-30}; conns=${3:-16}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
jar="$root/app/target/leak-detector.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
port=${LEAK_BENCH_PORT:-18080}
work=$(mktemp -d)
export LEAK_ADMIN_PASSWORD=bench-admin-password
if [ "$store" = postgres ]; then
  schema="bench_$(date +%s)"
  pg=${LEAK_BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
  psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema"
  export LEAK_DB_URL="$pg?currentSchema=$schema" LEAK_DB_USER=postgres LEAK_DB_PASSWORD=
fi
java ${LEAK_JAVA_OPTS:--Xmx1g} -jar "$jar" serve --data "$work/data" --port "$port" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ "$store" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE"; rm -rf "$work"' EXIT
for i in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 1; done
key=$(curl -s -u "admin:$LEAK_ADMIN_PASSWORD" -X POST "http://127.0.0.1:$port/api/v1/admin/api-keys" \
  -H 'Content-Type: application/json' -d '{"name":"bench","role":"analyst"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
echo "warm-up (20 s)…"
wrk -t2 -c"$conns" -d20s -s "$here/realtime-events.lua" "http://127.0.0.1:$port" -- "$key" > /dev/null
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # utime + stime of the service, in clock ticks
echo "measured: store=$store connections=$conns duration=${secs}s"
before=$(cpu)
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/realtime-events.lua" "http://127.0.0.1:$port" -- "$key" | tee "$work/wrk.txt"
after=$(cpu)
n=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "service CPU: %.1f s for %d events = %.2f ms CPU per event (%.0f events per CPU-second)\n", t/hz, n, 1000*t/hz/n, n/(t/hz) }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
