#!/usr/bin/env bash
# Isolation Forest speed, ours beside scikit-learn's, on the same generated data in one run.
# Uses Debian's python3-sklearn (installed here with apt-get when missing) and runs it with /usr/bin/python3, not
# another python3 that may come first on PATH.
#   bench/iforest_vs_sklearn.sh [ROWS] [COLS] [TRAIN_ROWS] [REPS]
# Both sides: 100 trees, 256 rows per tree, fit on the first TRAIN_ROWS rows, score every row.
# Single-core figures run under `taskset -c 0`; "all threads" uses every core the machine gives.
# Times are CPU seconds of the measuring thread/process (robust on a shared machine), wall time beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
COLS=${2:-10}
TRAIN=${3:-100000}
REPS=${4:-5}
PY=/usr/bin/python3
if ! "$PY" -c 'import sklearn' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "# installing Debian's python3-sklearn" >&2
    apt-get update -q >&2 && apt-get install -y -q python3-sklearn >&2
  else
    echo "error: $PY cannot import sklearn; run: sudo apt-get install -y python3-sklearn" >&2
    exit 1
  fi
fi
DATA=$(mktemp /tmp/iforest-bench.XXXXXX.f64)
trap 'rm -f "$DATA"' EXIT

./mvnw -B -q -pl core test-compile
CP="core/target/classes:core/target/test-classes"
echo "# data: $ROWS rows x $COLS features (normal, 1 % uniform outliers), fit on $TRAIN rows, $REPS reps (medians)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; java: $(java -version 2>&1 | head -1)"
$PY bench/iforest_vs_sklearn.py gen "$DATA" "$ROWS" "$COLS"

echo "## scikit-learn, one core"
taskset -c 0 $PY bench/iforest_vs_sklearn.py sklearn "$DATA" "$ROWS" "$COLS" "$TRAIN" "$REPS" | tee /tmp/iforest-bench-sk.txt
echo "## ours, one core"
taskset -c 0 java -Xmx2g -cp "$CP" io.leakdetector.core.ml.IsolationForestBench "$DATA" "$ROWS" "$COLS" "$TRAIN" "$REPS" | tee /tmp/iforest-bench-j1.txt
echo "## ours, all cores"
java -Xmx2g -cp "$CP" io.leakdetector.core.ml.IsolationForestBench "$DATA" "$ROWS" "$COLS" "$TRAIN" "$REPS" | tee /tmp/iforest-bench-jn.txt

get() { grep "^$2=" "$1" | cut -d= -f2; }
SKF=$(get /tmp/iforest-bench-sk.txt sklearn_fit_cpu_s); SKS=$(get /tmp/iforest-bench-sk.txt sklearn_score_cpu_s)
JF=$(get /tmp/iforest-bench-j1.txt java_fit_cpu_s); JS=$(get /tmp/iforest-bench-j1.txt java_score_1thread_cpu_s)
echo "## ratios (scikit-learn CPU time / our CPU time, one core each; >1 = ours faster)"
awk -v a="$SKF" -v b="$JF" 'BEGIN { printf "fit_speedup=%.1f\n", a / b }'
awk -v a="$SKS" -v b="$JS" 'BEGIN { printf "score_speedup=%.1f\n", a / b }'
