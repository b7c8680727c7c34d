#!/usr/bin/env python3
"""Writes two synthetic, uniformly randomised offer logs shaped like the Hillstrom data, for
checking that an exploration scheme still personalises where personalisation pays (docs/pipeline.md).

    python3 scripts/synthetic_uplift.py OUTDIR   ->  OUTDIR/strong.csv, OUTDIR/mild.csv

Columns: group (a, b, c: the context that matters), noise (p..u), x (a normal number), segment
(the logged action A, B or C, uniformly at random), visit (1/0), spend (10 per visit). 64,000 rows,
seed 7: the same files on every run.
- strong.csv: the action named after the customer's group visits at 0.25, the others at 0.10
  (always the best action for the group: 0.25; any single action for everyone: 0.15).
- mild.csv: A is best overall, but B is best for group b (rates below; best per group 0.1933,
  best single action 0.1733).
"""
import csv
import random
import sys

RATES = {
    "strong": {g: {a: (0.25 if a.lower() == g else 0.10) for a in "ABC"} for g in "abc"},
    "mild": {"a": {"A": 0.18, "B": 0.14, "C": 0.10},
             "b": {"A": 0.16, "B": 0.22, "C": 0.10},
             "c": {"A": 0.18, "B": 0.14, "C": 0.12}},
}


def write(path, rates, rows=64000, seed=7):
    r = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "noise", "x", "segment", "visit", "spend"])
        for _ in range(rows):
            g = r.choice("abc")
            a = r.choice(["A", "B", "C"])
            y = 1 if r.random() < rates[g][a] else 0
            w.writerow([g, r.choice("pqrstu"), round(r.gauss(0, 1), 3), a, y, 10 * y])


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    for name, rates in RATES.items():
        write(f"{out}/{name}.csv", rates)
        best = sum(max(rates[g].values()) for g in "abc") / 3
        single = max(sum(rates[g][a] for g in "abc") / 3 for a in "ABC")
        print(f"{out}/{name}.csv: best action per group {best:.4f}, best single action {single:.4f}")
