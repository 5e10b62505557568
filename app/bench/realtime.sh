#!/usr/bin/env bash
# Real-time benchmark: starts the service on a fresh store, creates an analyst API key, then drives
# POST /api/v1/events on loopback at a fixed rate with the open-loop Java client (`leak-detector bench events`:
# latency counted from each request's due time, exact percentiles) — warm-up, then the measured run — and prints
# the service's CPU-seconds per 1,000 events (and its group-commit writer thread's), the load generator's CPU, the load average
# and where an event's time went in the measured phase (app/bench/breakdown.py: the service's histograms, two scrapes).
# Usage: app/bench/realtime.sh [h2|postgres] [rate] [seconds] [connections]
# PostgreSQL: LEAK_BENCH_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test), a fresh schema per run.
# LEAK_BENCH_JAR: the jar to serve with (compare builds back to back). LEAK_BENCH_WRK=1: drive with wrk (closed loop, app/bench/realtime-events.lua) instead of the Java client.
set -euo pipefail
store=${1:-h2}; rate=${2:-2000}; secs=${3:-30}; conns=${4:-64}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
jar="${LEAK_BENCH_JAR:-$root/app/target/leak-detector.jar}"   # LEAK_BENCH_JAR: another build (before/after)
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
prom() { curl -s -u "admin:$LEAK_ADMIN_PASSWORD" "http://127.0.0.1:$port/actuator/prometheus" > "$1" || true; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # utime + stime of the service, in clock ticks
# utime + stime of the service's group-commit writer threads, summed (every statement and commit of every event)
wcpu() { local t s=0; for t in /proc/$pid/task/*; do [ "$(cat "$t/comm" 2>/dev/null)" = realtime-group- ] && s=$((s + $(awk '{print $14 + $15}' "$t/stat"))); done; echo $s; }
# utime + stime of every postgres process (the server's share on PostgreSQL; includes anyone else's use of it)
pgcpu() { local t=0; for p in $(pgrep -x postgres || true); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
if [ -n "${LEAK_BENCH_WRK:-}" ]; then
  echo "warm-up (20 s)…"
  wrk -t2 -c"$conns" -d20s -s "$here/realtime-events.lua" "http://127.0.0.1:$port" -- "$key" > /dev/null
  echo "measured: store=$store connections=$conns duration=${secs}s (wrk, closed loop)"
  before=$(cpu); pgbefore=$(pgcpu); wbefore=$(wcpu)
  /usr/bin/time -f "load generator CPU: user %U sys %S" -o "$work/client.txt" wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/realtime-events.lua" "http://127.0.0.1:$port" -- "$key" | tee "$work/out.txt"
  after=$(cpu); pgafter=$(pgcpu); wafter=$(wcpu)
  n=$(awk '/requests in/ {print $1}' "$work/out.txt")
else
  # The warm-up runs inside the client before the measured phase; CPU is sampled around the measured phase only.
  java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$jar" bench events --url "http://127.0.0.1:$port" --key "$key" \
    --rate "$rate" --seconds 20 --warmup 0 --connections "$conns" > /dev/null || true
  echo "measured: store=$store rate=$rate/s connections=$conns duration=${secs}s (open loop)"
  prom "$work/before.prom"; before=$(cpu); pgbefore=$(pgcpu); wbefore=$(wcpu)
  /usr/bin/time -f "load generator CPU: user %U sys %S" -o "$work/client.txt" java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$jar" bench events --url "http://127.0.0.1:$port" --key "$key" \
    --rate "$rate" --seconds "$secs" --warmup 0 --connections "$conns" | tee "$work/out.txt" || true
  after=$(cpu); pgafter=$(pgcpu); wafter=$(wcpu); prom "$work/after.prom"
  n=$(awk '/answered 200/ {print $7}' "$work/out.txt")
fi
awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "service CPU: %.1f s for %d events = %.2f CPU-seconds per 1,000 events (%.0f events per CPU-second)\n", t/hz, n, 1000*t/hz/n, n/(t/hz) }'
awk -v t=$((wafter - wbefore)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "writer threads CPU: %.1f s = %.2f CPU-seconds per 1,000 events\n", t/hz, 1000*t/hz/n }'
if [ "$store" = postgres ]; then
  awk -v t=$((pgafter - pgbefore)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "postgres CPU: %.1f s = %.2f CPU-seconds per 1,000 events\n", t/hz, 1000*t/hz/n }'
fi
cat "$work/client.txt" 2>/dev/null || true
[ -s "$work/after.prom" ] && python3 "$here/breakdown.py" "$work/before.prom" "$work/after.prom" || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
