"""Writes the exact train/test splits of PyOD's benchmark (numpy RandomState(i), train_test_split(test_size=0.4))
so that our Java forest can be scored on the same splits as PyOD's published table.

One file per data set, <name>.splits: line i holds the 0-based row indices (data rows of the CSV, header not
counted) of split i's test part. Run with Debian's Python (python3-sklearn):
    /usr/bin/python3 bench/odds_splits.py ../shared/data/odds OUT_DIR [SPLITS] [DATASET ...]
"""
import csv
import os
import sys

import numpy as np
from sklearn.model_selection import train_test_split


def main():
    odds, out = sys.argv[1], sys.argv[2]
    splits = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    wanted = set(sys.argv[4:])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(odds, "reference-roc-pyod-benchmark.csv"), newline="") as f:
        names = [row["Data"] for row in csv.DictReader(f)]
    for name in names:
        if wanted and name not in wanted:
            continue
        with open(os.path.join(odds, name + ".csv"), newline="") as f:
            n = sum(1 for _ in f) - 1
        with open(os.path.join(out, name + ".splits"), "w") as f:
            for i in range(splits):
                _, test = train_test_split(np.arange(n), test_size=0.4, random_state=np.random.RandomState(i))
                f.write(",".join(str(int(t)) for t in test) + "\n")


if __name__ == "__main__":
    main()
