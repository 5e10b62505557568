"""Side-by-side speed of scikit-learn's IsolationForest and ours on the same data.

Generates the data (seeded numpy), writes it as raw little-endian float64 for the Java side, times
scikit-learn's fit and score_samples (medians), and prints key=value lines. Run by bench/iforest_vs_sklearn.sh
with Debian's Python (/usr/bin/python3, package python3-sklearn):
    /usr/bin/python3 bench/iforest_vs_sklearn.py gen OUT.f64 ROWS COLS
    /usr/bin/python3 bench/iforest_vs_sklearn.py sklearn OUT.f64 ROWS COLS TRAIN_ROWS REPS
"""
import sys
import time

import numpy as np


def generate(path, rows, cols):
    rng = np.random.default_rng(20260321)
    x = rng.standard_normal((rows, cols))
    outliers = rng.random(rows) < 0.01           # 1 % of rows uniform over a wide box
    x[outliers] = rng.uniform(-6, 6, (int(outliers.sum()), cols))
    x.astype("<f8").tofile(path)


def bench_sklearn(path, rows, cols, train_rows, reps):
    import sklearn
    from sklearn.ensemble import IsolationForest

    x = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    train = x[:train_rows]
    # CPU time of this process (robust against other load on a shared machine) and wall time beside it.
    fit, score, fit_wall, score_wall = [], [], [], []
    clf = None
    for i in range(reps + 1):                     # first round is a warm-up
        c0, w0 = time.process_time(), time.perf_counter()
        clf = IsolationForest(n_estimators=100, max_samples=256, random_state=i).fit(train)
        c1, w1 = time.process_time(), time.perf_counter()
        s = clf.score_samples(x)
        c2, w2 = time.process_time(), time.perf_counter()
        if i > 0:
            fit.append(c1 - c0)
            score.append(c2 - c1)
            fit_wall.append(w1 - w0)
            score_wall.append(w2 - w1)
    print(f"sklearn_version={sklearn.__version__}")
    print(f"sklearn_fit_cpu_s={np.median(fit):.4f}")
    print(f"sklearn_fit_wall_s={np.median(fit_wall):.4f}")
    print(f"sklearn_score_cpu_s={np.median(score):.4f}")
    print(f"sklearn_score_wall_s={np.median(score_wall):.4f}")
    print(f"sklearn_score_rows_per_cpu_s={rows / np.median(score):.0f}")


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    rows, cols = int(sys.argv[3]), int(sys.argv[4])
    if mode == "gen":
        generate(path, rows, cols)
    else:
        bench_sklearn(path, rows, cols, int(sys.argv[5]), int(sys.argv[6]))
