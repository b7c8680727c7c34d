"""The scikit-learn peer of one decision: N offers with a naive Bayes model each, K binned
predictors (half numeric with 9 cut points, half symbolic with 12 symbols), as in
benchmarks/synthetic.hpp. One decision = bin the customer's raw values for every offer's model,
score every offer, rank by P x V x L.

Two ways to do it with Python's tools:
  per_model   scikit-learn as documented: one CategoricalNB per offer, predict_proba per offer;
  vectorised  the same arithmetic as one NumPy gather over all offers (the best case for Python).

usage: /usr/bin/python3 sklearn_decision.py [N] [K] [--json]
"""
import json
import sys
import time

import numpy as np
from sklearn.naive_bayes import CategoricalNB

args = [a for a in sys.argv[1:] if not a.startswith("--")]
N = int(args[0]) if len(args) > 0 else 1000
K = int(args[1]) if len(args) > 1 else 50
as_json = "--json" in sys.argv
rng = np.random.default_rng(1)
SYMBOLS = [f"value-{s}" for s in range(12)]
numeric = [p % 2 == 0 for p in range(K)]

# Each offer's binning: numeric cut points shifted per model, symbols grouped two per bin and
# rotated per model (the "distinct binnings" of the C++ benchmark).
cuts = [[10.0 * (i + 1) + p % 5 + ((m * 7919 + p * 104729) % 97) / 97.0 * 10.0 for i in range(9)]
        for m in range(N) for p in range(K)]
symbol_bin = [{s: 1 + ((j + m % 12) % 12) // 2 for j, s in enumerate(SYMBOLS)} for m in range(N)]
BINS = 11  # Missing, 10 intervals (numeric); Missing, 6 groups, unseen (symbolic: 8)

models = []
train_rows = 400
for m in range(N):
    X = rng.integers(0, 8, size=(train_rows, K))
    X[:, numeric] = rng.integers(0, BINS, size=(train_rows, sum(numeric)))
    X[0, :] = BINS - 1  # every category seen
    X[1, :] = 0
    y = rng.integers(0, 2, size=train_rows)
    y[0], y[1] = 0, 1
    models.append(CategoricalNB(min_categories=BINS).fit(X, y))

values = rng.random(K) * 100.0
customer = {p: (values[p] if numeric[p] else SYMBOLS[int(values[p]) % 12]) for p in range(K)}
offer_value = np.array([1.0 + m % 17 for m in range(N)])
lever = np.array([1.0 + (m % 5) / 100.0 for m in range(N)])


def bins_for(m):
    row = np.empty(K, dtype=np.int64)
    for p in range(K):
        v = customer[p]
        if numeric[p]:
            row[p] = 1 + int(np.searchsorted(cuts[m * K + p], v, side="right"))
        else:
            row[p] = symbol_bin[m].get(v, 7)
    return row


def decide_per_model():
    priorities = np.empty(N)
    for m in range(N):
        priorities[m] = models[m].predict_proba(bins_for(m).reshape(1, -1))[0, 1]
    return np.argsort(-priorities * offer_value * lever)[:5]


# vectorised: all models' log probabilities in one array, one gather
logp = np.stack([np.stack([np.pad(lp, ((0, 0), (0, BINS - lp.shape[1])))
                           for lp in mdl.feature_log_prob_], axis=1) for mdl in models])  # (N, 2, K, BINS)
prior = np.stack([mdl.class_log_prior_ for mdl in models])  # N, 2
cut_array = np.array(cuts).reshape(N, K, 9)
symbol_table = np.array([[symbol_bin[m][s] for s in SYMBOLS] for m in range(N)])  # N, 12
num_idx = np.array([p for p in range(K) if numeric[p]])
sym_idx = np.array([p for p in range(K) if not numeric[p]])


def decide_vectorised():
    b = np.empty((N, K), dtype=np.int64)
    x = np.array([customer[p] for p in num_idx])
    b[:, num_idx] = 1 + (cut_array[:, num_idx, :] <= x[None, :, None]).sum(axis=2)
    s = np.array([SYMBOLS.index(customer[p]) for p in sym_idx])
    b[:, sym_idx] = symbol_table[:, s]
    joint = prior + logp[np.arange(N)[:, None], :, np.arange(K)[None, :], b].sum(axis=1)  # (N, K, 2) -> (N, 2)
    p1 = 1.0 / (1.0 + np.exp(joint[:, 0] - joint[:, 1]))
    return np.argsort(-p1 * offer_value * lever)[:5]


def timed(f, repeats):
    f()
    start = time.perf_counter()
    for _ in range(repeats):
        f()
    return (time.perf_counter() - start) / repeats


per_model = timed(decide_per_model, max(1, 20000 // N))
vectorised = timed(decide_vectorised, max(3, 200000 // N))
result = {"offers": N, "predictors": K, "per_model_us": per_model * 1e6, "vectorised_us": vectorised * 1e6}
if as_json:
    print(json.dumps(result))
else:
    print(f"N={N} K={K}: scikit-learn per model {per_model * 1e3:.1f} ms, NumPy vectorised {vectorised * 1e6:.0f} us per decision")
