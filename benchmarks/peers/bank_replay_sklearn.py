"""Progressive validation of scikit-learn's online learners on the bank-marketing stream, the
same way `nba replay` does it: rows in file order, each one predicted first and learned after,
`duration` left out (it is known only after the call).

    /usr/bin/python3 benchmarks/peers/bank_replay_sklearn.py examples/data/bank-full.csv

Features: the usual hashing-trick encoding of an online pipeline — one token per column,
"column=value" for text and "column=bucket" for numbers (sign and power-of-two magnitude, a fixed
transform that looks at no other row), hashed into 2^18 binary features.
Learners: SGDClassifier with logistic loss (a linear online logistic regression) and
BernoulliNB (naive Bayes), both trained with partial_fit on one row at a time.
Prints one JSON object per learner.
"""
import csv
import json
import math
import sys
import time

from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.naive_bayes import BernoulliNB


def bucket(text):
    try:
        x = float(text)
    except ValueError:
        return text
    if x == 0:
        return "0"
    return ("-" if x < 0 else "+") + str(int(math.floor(math.log2(abs(x)))))


def rows(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        for r in reader:
            y = 1 if r.pop("y") == "yes" else 0
            r.pop("duration")
            yield [f"{k}={bucket(v)}" for k, v in r.items()], y


def replay(path, make):
    hasher = FeatureHasher(n_features=2**18, input_type="string", alternate_sign=False)
    model = make()
    predictions, labels = [], []
    started = time.perf_counter()
    trained = False
    for tokens, y in rows(path):
        x = hasher.transform([tokens])
        p = model.predict_proba(x)[0, 1] if trained else 0.5
        predictions.append(p)
        labels.append(y)
        model.partial_fit(x, [y], classes=[0, 1])
        trained = True
    seconds = time.perf_counter() - started
    clipped = [min(max(p, 1e-15), 1 - 1e-15) for p in predictions]
    return {"rows": len(labels), "auc": roc_auc_score(labels, predictions), "log_loss": log_loss(labels, clipped),
            "seconds": seconds}


if __name__ == "__main__":
    data = sys.argv[1] if len(sys.argv) > 1 else "examples/data/bank-full.csv"
    learners = {
        "sklearn SGDClassifier(log_loss)": lambda: SGDClassifier(loss="log_loss", alpha=1e-4, random_state=0),
        "sklearn BernoulliNB": lambda: BernoulliNB(),
    }
    for name, make in learners.items():
        result = replay(data, make)
        result["learner"] = name
        print(json.dumps(result))
