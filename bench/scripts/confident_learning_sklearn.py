#!/usr/bin/python3
"""Side-by-side peers for bench/scripts/confident-learning-vs-sklearn.sh (own code).

confident-learning LABELS
    Fashion-MNIST training images (Debian's dataset-fashion-mnist, FMNIST_DIR) scaled to [0, 1], the given
    (flipped) labels and truth flags from LABELS (one "label flag" line per image, written by PoisonLab), then
    5-fold out-of-sample probabilities with scikit-learn's cross_val_predict of LogisticRegression (lbfgs,
    default settings) and the confident-learning filter "prune by noise rate" written here in numpy after the
    method of cleanlab 2.x's find_label_issues (Northcutt, Jiang & Chuang, JAIR 2021): per-class thresholds,
    confident joint, calibration, per-cell pruning by margin, and issues whose given label is the argmax
    dropped. cleanlab itself is not installed here; its own figures on this setting are in
    docs/BENCHMARKS.md. Prints one JSON line: precision, recall, cv_s, filter_s.

representations DIR
    Penultimate MLP features written by PoisonLab (DIR/features.f32, labels.txt, shape.txt). Times, on the same
    features: spectral signatures (Tran et al. 2018: per class, centred, top right singular vector by
    numpy.linalg.svd, score = squared projection) and activation clustering (Chen et al. 2018: per class, PCA to
    10 dimensions, KMeans(2, n_init=5), silhouette on a sample of 1,000). Three runs each, prints the median.

BLAS and OpenMP pools are pinned to PEERS_THREADS (default 2) threads before numpy loads.
"""
import json
import os
import sys
import time

THREADS = os.environ.get("PEERS_THREADS", "2")
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[v] = THREADS

import gzip  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def read_labels(path):
    given, flag = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            a, b = line.split()
            given.append(int(a))
            flag.append(b == "1")
    return np.array(given), np.array(flag)


def prune_by_noise_rate(probs, labels):
    """Label issues by confident learning, prune by noise rate (own numpy version of cleanlab's method)."""
    n, k = probs.shape
    # per-class threshold: mean self-confidence of the examples given that class
    thresholds = np.array([probs[labels == j, j].mean() for j in range(k)])
    above = probs >= thresholds - 1e-6
    confident = np.where(above.any(axis=1), np.argmax(np.where(above, probs, -1.0), axis=1), -1)
    has = confident >= 0
    joint = np.zeros((k, k), dtype=np.int64)  # [given][true]
    np.add.at(joint, (labels[has], confident[has]), 1)
    # calibrate: each row sums to the count of its given label
    counts = np.bincount(labels, minlength=k)
    row = joint.sum(axis=1, keepdims=True)
    calibrated = joint / np.maximum(row, 1) * counts[:, None]
    calibrated = calibrated / calibrated.sum() * n
    # per cell (given i, true j != i): prune the calibrated count with the largest margin p_j - p_i
    issues = np.zeros(n, dtype=bool)
    for i in range(k):
        rows = np.flatnonzero(labels == i)
        cells = np.round(calibrated[i]).astype(int)
        # keep at least one example of the class
        budget = max(0, len(rows) - 1)
        for j in range(k):
            if j == i or cells[j] <= 0:
                continue
            m = min(cells[j], budget)
            margin = probs[rows, j] - probs[rows, i]
            issues[rows[np.argsort(-margin, kind="stable")[:m]]] = True
    issues[np.argmax(probs, axis=1) == labels] = False
    return issues


def confident_learning(labels_file):
    t0 = time.perf_counter()
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    d = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
    x = idx(f"{d}/train-images-idx3-ubyte.gz").reshape(60000, -1) / 255.0
    given, flipped = read_labels(labels_file)
    t1 = time.perf_counter()
    probs = cross_val_predict(LogisticRegression(), x, given, cv=5, method="predict_proba")
    t2 = time.perf_counter()
    issues = prune_by_noise_rate(probs, given)
    t3 = time.perf_counter()
    tp = int((issues & flipped).sum())
    print(json.dumps({"flagged": int(issues.sum()), "precision": round(tp / max(1, issues.sum()), 4),
                      "recall": round(tp / flipped.sum(), 4), "load_s": round(t1 - t0, 2),
                      "cv_s": round(t2 - t1, 2), "filter_s": round(t3 - t2, 3)}))


def spectral(z, y):
    scores = np.zeros(len(y))
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        zc = z[rows] - z[rows].mean(axis=0)
        _, _, vt = np.linalg.svd(zc, full_matrices=False)
        scores[rows] = (zc @ vt[0]) ** 2
    return scores


def activation_clustering(z, y):
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    small = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        r = PCA(n_components=10, random_state=0).fit_transform(z[rows])
        km = KMeans(n_clusters=2, n_init=5, random_state=0).fit(r)
        sizes = np.bincount(km.labels_, minlength=2)
        sil = silhouette_score(r, km.labels_, sample_size=min(1000, len(rows)), random_state=0)
        s = int(np.argmin(sizes))
        if sizes[s] / len(rows) <= 0.35 and sil >= 0.5:
            small[rows[km.labels_ == s]] = True
    return small


def representations(folder):
    n, d = (int(v) for v in open(os.path.join(folder, "shape.txt")).read().split())
    z = np.fromfile(os.path.join(folder, "features.f32"), dtype="<f4").reshape(n, d).astype(np.float64)
    y, poison = read_labels(os.path.join(folder, "labels.txt"))
    count = int(poison.sum())
    for name, fn in (("spectral", spectral), ("activation-clustering", activation_clustering)):
        runs, out = [], None
        for _ in range(3):
            t = time.perf_counter()
            out = fn(z, y)
            runs.append(time.perf_counter() - t)
        runs.sort()
        res = {"detector": name, "median_s": round(runs[1], 3), "runs_s": [round(r, 3) for r in runs]}
        if name == "spectral":
            top = np.argsort(-out, kind="stable")[: int(round(1.5 * count))]
            res["recall_at_1.5x"] = round(float(poison[top].sum()) / count, 4)
        else:
            res["flagged"] = int(out.sum())
            res["recall"] = round(float((out & poison).sum()) / count, 4)
        print(json.dumps(res))


if __name__ == "__main__":
    if sys.argv[1] == "confident-learning":
        confident_learning(sys.argv[2])
    elif sys.argv[1] == "representations":
        representations(sys.argv[2])
    else:
        sys.exit("usage: confident_learning_sklearn.py confident-learning LABELS | representations DIR")
