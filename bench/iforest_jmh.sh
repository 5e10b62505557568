#!/usr/bin/env bash
# JMH benchmark of the Isolation Forest on one core (core/src/test/java/io/leakdetector/core/ml/IsolationForestJmh.java):
# scoring (block scorer and row-by-row walk) and exact TreeSHAP (blocks and one row at a time), 100 trees, psi = 256,
# 10 features. Prints JMH's table (wall clock) and, per benchmark, the median over the measured iterations of the
# CPU time per row of the benchmark thread, which is what one core does when the machine is shared.
#   bench/iforest_jmh.sh [extra JMH options, e.g. -i 11]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp /tmp/iforest-jmh.XXXXXX.json)
trap 'rm -f "$OUT"' EXIT
./mvnw -B -q -pl core test-compile
./mvnw -B -q -pl core exec:exec -Dexec.executable=taskset -Dexec.classpathScope=test \
  -Dexec.args="-c 0 java -cp %classpath org.openjdk.jmh.Main IsolationForestJmh -rf json -rff $OUT $*"
echo "## CPU time of the benchmark thread per row, median over the measured iterations (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
for b in json.load(open(sys.argv[1])):
    name = b["benchmark"].rsplit(".", 1)[1]
    cpu = [x for it in b["secondaryMetrics"]["cpuNanos"]["rawData"] for x in it]
    rows = [x for it in b["secondaryMetrics"]["rows"]["rawData"] for x in it]
    per_row = statistics.median(c / r for c, r in zip(cpu, rows))
    wall = b["primaryMetric"]["score"], b["primaryMetric"]["scoreUnit"]
    if name.startswith("score"):
        print(f"{name}: {per_row:.1f} ns CPU per row = {1e9 / per_row:,.0f} rows per CPU second (wall {wall[0]:.1f} {wall[1]})")
    else:
        print(f"{name}: {per_row / 1e3:.1f} us CPU per row (wall {wall[0]:.1f} {wall[1]})")
PY
