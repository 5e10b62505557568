"""PyOD's benchmark protocol with scikit-learn's IsolationForest, for comparison with our own forest.

Mirrors notebooks/benchmark.py of yzhao062/pyod: for split i, RandomState(i), train_test_split(test_size=0.4),
z-scores with the training part's mean and standard deviation, IsolationForest() fit on the training part,
ROC-AUC of the test part (higher score = more anomalous). Run with Debian's Python (python3-sklearn):
    /usr/bin/python3 bench/odds_sklearn.py ../shared/data/odds [SPLITS] [DATASET ...]
"""
import csv
import os
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    label = header.index("label")
    y = body[:, label].astype(int)
    x = np.delete(body, label, axis=1)
    return x, y


def standardize(train, test):
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std[std == 0] = 1.0
    return (train - mean) / std, (test - mean) / std


def main():
    odds = sys.argv[1]
    splits = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with open(os.path.join(odds, "reference-roc-pyod-benchmark.csv"), newline="") as f:
        table = list(csv.DictReader(f))
    wanted = set(sys.argv[3:])
    for row in table:
        name = row["Data"]
        if wanted and name not in wanted:
            continue
        x, y = load(os.path.join(odds, name + ".csv"))
        aucs = []
        for i in range(splits):
            rs = np.random.RandomState(i)
            x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.4, random_state=rs)
            if y_test.min() == y_test.max():
                continue  # one class only: roc_auc_score is undefined
            x_train, x_test = standardize(x_train, x_test)
            clf = IsolationForest(random_state=rs).fit(x_train)
            aucs.append(roc_auc_score(y_test, -clf.score_samples(x_test)))
        print(f"{name},{float(row['IForest']):.4f},{np.mean(aucs):.4f},{len(aucs)}", flush=True)


if __name__ == "__main__":
    main()
