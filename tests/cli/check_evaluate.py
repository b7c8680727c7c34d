"""Checks `nba evaluate` against figures computed here, independently of nba's library.

usage: check_evaluate.py CASE NBA DATA OUTDIR
  hand      DATA = tests/data/evaluate/hand.csv: the JSON's shape, IPS, SNIPS, ESS and the
            unweighted mean of three policies worked out by hand; the lift against control (binary
            and value) by hand; the same seed gives the same output, another seed other intervals
  dr        DATA = tests/data/evaluate/hand.csv: doubly robust equals the mean reward on a log whose
            logging policy is the target policy (every reward-model prediction cancels)
  lift      DATA = unused: a 1,000-row log written here, lift and its delta-method interval by hand
  obd       DATA = tests/data/obd/men_bts_300.csv: a real third-party log (unnamed index column,
            timestamps, 31 items); IPS, SNIPS and ESS of `uniform` and `fixed:` recomputed here
  models    DATA = examples/data/hillstrom.csv: `nba replay --action --save` on 10,000 customers
            writes a model set; `models:PATH` on the next 2,000 must be the greedy choice that
            `nba score` gives with the same models (ties to the first action in the log), and its
            IPS, SNIPS and ESS the ones computed here from those choices
Exit status 0 when every check holds; otherwise the first failure is printed.
"""
import csv
import json
import math
import os
import subprocess
import sys

case, nba, data, outdir = sys.argv[1:5]
os.makedirs(outdir, exist_ok=True)
failures = []


def run(*args, expect=0):
    p = subprocess.run([nba, *args], capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"check_evaluate: nba {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


def last_json(p):
    lines = [line for line in p.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1], object_pairs_hook=lambda pairs: pairs)  # keep the key order


def as_dict(pairs):
    """An ordered pair list (from last_json) as nested dicts, keeping the lists."""
    if isinstance(pairs, list) and pairs and isinstance(pairs[0], tuple):
        return {k: as_dict(v) for k, v in pairs}
    if isinstance(pairs, list):
        return [as_dict(v) for v in pairs]
    return pairs


def close(name, got, want, tol=1e-12):
    if got is None or not math.isclose(got, want, rel_tol=tol, abs_tol=tol):
        failures.append(f"{name}: nba says {got}, expected {want}")
    else:
        print(f"ok  {name} = {got}")


def check_shape(pairs):
    """The JSON object must begin exactly as the issue fixes it: rows, policies; each policy
    policy, ess, estimators {ips, snips, dr}, each {value, low, high}."""
    keys = [k for k, _ in pairs]
    if keys[:2] != ["rows", "policies"]:
        failures.append(f"top-level keys begin {keys[:2]}, expected ['rows', 'policies']")
    doc = as_dict(pairs)
    for p in dict(pairs)["policies"]:
        pk = [k for k, _ in p]
        if pk[:3] != ["policy", "ess", "estimators"]:
            failures.append(f"policy keys begin {pk[:3]}")
        est = dict(p)["estimators"]
        if [k for k, _ in est][:3] != ["ips", "snips", "dr"]:
            failures.append(f"estimator keys {[k for k, _ in est]}")
        for name, e in est:
            if [k for k, _ in e] != ["value", "low", "high"]:
                failures.append(f"{name} keys {[k for k, _ in e]}")
            v = dict(e)
            if not all(isinstance(v[k], (int, float)) for k in ("value", "low", "high")):
                failures.append(f"{name}: not numbers: {v}")
            elif not v["low"] <= v["high"]:
                failures.append(f"{name}: interval [{v['low']}, {v['high']}] is reversed")
    return doc


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def estimates(rows, target, action="action", propensity="propensity", reward=lambda r: 1.0):
    """IPS, SNIPS, ESS and the unweighted mean for target(row, action) -> probability."""
    w = [target(r, r[action]) / float(r[propensity]) for r in rows]
    y = [reward(r) for r in rows]
    n = len(rows)
    sw, swy, sw2 = sum(w), sum(a * b for a, b in zip(w, y)), sum(a * a for a in w)
    pi = [target(r, r[action]) for r in rows]
    return {"ips": swy / n, "snips": swy / sw if sw > 0 else None, "ess": sw * sw / sw2 if sw2 > 0 else 0.0,
            "unweighted": sum(p * b for p, b in zip(pi, y)) / sum(pi) if sum(pi) > 0 else None}


def by_policy(doc):
    return {p["policy"]: p for p in doc["policies"]}


if case == "hand":
    base = ["evaluate", "--data", data, "--action", "action", "--outcome", "outcome", "--positive", "yes",
            "--propensity", "propensity", "--exclude", "spend", "--policy", "fixed:A", "--policy", "fixed:B",
            "--policy", "uniform", "--control", "arm=control", "--json"]
    doc = check_shape(last_json(run(*base)))
    close("rows", doc["rows"], 10)
    p = by_policy(doc)
    # fixed:A — the A rows are 1, 2, 5, 7, 9 with propensities 0.5, 0.8, 0.5, 0.75, 0.6 and outcomes
    # yes, no, yes, no, yes: w = 2, 1.25, 2, 4/3, 5/3 (0 for the B rows).
    #   IPS   = (2 + 2 + 5/3) / 10 = (17/3) / 10 = 17/30
    #   SNIPS = (17/3) / (2 + 1.25 + 2 + 4/3 + 5/3) = (17/3) / 8.25 = 68/99
    #   ESS   = 8.25² / (4 + 1.5625 + 4 + 16/9 + 25/9) = 68.0625 / (9.5625 + 41/9)
    #   unweighted: 3 of the 5 A rows are yes = 0.6
    a = p["fixed:A"]
    close("fixed:A IPS", a["estimators"]["ips"]["value"], 17 / 30)
    close("fixed:A SNIPS", a["estimators"]["snips"]["value"], 68 / 99)
    close("fixed:A ESS", a["ess"], 68.0625 / (9.5625 + 41 / 9))
    close("fixed:A unweighted", a["unweighted"], 0.6)
    close("fixed:A matched", a["matched"], 5)
    # fixed:B — rows 3, 4, 6, 8, 10: propensities 0.2, 0.5, 0.25, 0.4, 0.5, outcomes yes, no, yes,
    # no, yes: w = 5, 2, 4, 2.5, 2. IPS = (5 + 4 + 2) / 10 = 1.1 (IPS is not bounded by 1);
    # SNIPS = 11 / 15.5; ESS = 15.5² / (25 + 4 + 16 + 6.25 + 4) = 240.25 / 55.25; unweighted 3/5.
    b = p["fixed:B"]
    close("fixed:B IPS", b["estimators"]["ips"]["value"], 1.1)
    close("fixed:B SNIPS", b["estimators"]["snips"]["value"], 11 / 15.5)
    close("fixed:B ESS", b["ess"], 240.25 / 55.25)
    close("fixed:B unweighted", b["unweighted"], 0.6)
    # uniform over the log's two actions — w = 0.5 / propensity: 1, 0.625, 2.5, 1, 1, 2, 2/3, 1.25,
    # 5/6, 1; the yes rows (1, 3, 5, 6, 9, 10) sum to 1 + 2.5 + 1 + 2 + 5/6 + 1 = 8 + 1/3.
    #   IPS = (25/3) / 10 = 5/6;  SNIPS = (25/3) / 11.875;  unweighted = 6 / 10
    u = p["uniform"]
    close("uniform IPS", u["estimators"]["ips"]["value"], 5 / 6)
    close("uniform SNIPS", u["estimators"]["snips"]["value"], (25 / 3) / 11.875)
    close("uniform unweighted", u["unweighted"], 0.6)
    # the same figures recomputed from the file, for every policy
    rows = read_rows(data)
    yes = lambda r: 1.0 if r["outcome"] == "yes" else 0.0
    for name, target in [("fixed:A", lambda r, x: 1.0 if x == "A" else 0.0),
                         ("fixed:B", lambda r, x: 1.0 if x == "B" else 0.0), ("uniform", lambda r, x: 0.5)]:
        e = estimates(rows, target, reward=yes)
        close(f"{name} IPS (recomputed)", p[name]["estimators"]["ips"]["value"], e["ips"])
        close(f"{name} SNIPS (recomputed)", p[name]["estimators"]["snips"]["value"], e["snips"])
        close(f"{name} ESS (recomputed)", p[name]["ess"], e["ess"])
    close("logged mean", doc["logged_mean"], 0.6)
    # Lift against control (binary): control = rows 3, 4, 7, 8 with outcomes yes, no, no, no:
    # m0 = 1/4; NBA = rows 1, 2, 5, 6, 9, 10: yes, no, yes, yes, yes, yes: m1 = 5/6.
    #   L = (5/6) / (1/4) - 1 = 7/3
    #   Var(m1) = (5/6)(1/6)/6 = 5/216;  Var(m0) = (1/4)(3/4)/4 = 3/64
    #   SE² = Var(m1)/m0² + m1²·Var(m0)/m0⁴ = (5/216)·16 + (25/36)·(3/64)·256 = 10/27 + 25/3 = 235/27
    #   95%: L ± 1.959963984540054·SE
    lift = doc["lift"]
    z = 1.959963984540054
    se = math.sqrt(235 / 27)
    close("lift", lift["lift"], 7 / 3)
    close("lift SE", lift["se"], se)
    close("lift low", lift["low"], 7 / 3 - z * se, 1e-9)
    close("lift high", lift["high"], 7 / 3 + z * se, 1e-9)
    close("lift control rows", lift["control"]["rows"], 4)
    close("lift NBA mean", lift["nba"]["mean"], 5 / 6)
    # Lift of the value (spend): NBA spends 10, 20, 30, 40, 50, 60 (mean 35, sample variance
    # (625 + 225 + 25 + 25 + 225 + 625) / 5 = 350); control 0, 10, 20, 30 (mean 15, sample variance
    # (225 + 25 + 25 + 225) / 3 = 500/3).
    #   L = 35/15 - 1 = 4/3;  SE² = (350/6)/15² + 35²·(500/3/4)/15⁴ = 7/27 + 245/243 = 308/243
    doc_v = as_dict(last_json(run("evaluate", "--data", data, "--action", "action", "--outcome", "outcome", "--positive",
                                  "yes", "--value", "spend", "--control", "arm=control", "--json")))
    close("value lift", doc_v["lift"]["lift"], 4 / 3)
    close("value lift SE", doc_v["lift"]["se"], math.sqrt(308 / 243))
    if doc_v["policies"] != []:
        failures.append("lift alone: expected no policies")
    # --value: the reward is the spend. fixed:A: A rows spend 10, 20, 30, 20, 50 with w 2, 1.25, 2,
    # 4/3, 5/3: IPS = (20 + 25 + 60 + 80/3 + 250/3) / 10 = (105 + 110) / 10 = 21.5
    doc_s = as_dict(last_json(run("evaluate", "--data", data, "--action", "action", "--outcome", "outcome", "--positive",
                                  "yes", "--propensity", "propensity", "--value", "spend", "--policy", "fixed:A", "--json")))
    close("fixed:A IPS of spend", doc_s["policies"][0]["estimators"]["ips"]["value"], 21.5)
    # the same seed, the same output; another seed, other intervals (same point estimates)
    again = run(*base).stdout
    if again != run(*base).stdout:
        failures.append("two runs with the same seed differ")
    other = as_dict(last_json(run(*base, "--seed", "7")))
    if by_policy(other)["fixed:B"]["estimators"]["ips"] == p["fixed:B"]["estimators"]["ips"]:
        failures.append("--seed 7 gave the same interval as --seed 1")
    close("fixed:B IPS with --seed 7", by_policy(other)["fixed:B"]["estimators"]["ips"]["value"], 1.1)
    # the readable table names every policy and the lift
    text = run(*[a for a in base if a != "--json"]).stdout
    for needle in ("fixed:A", "fixed:B", "uniform", "IPS [95% interval]", "lift", "arm = control"):
        if needle not in text:
            failures.append(f"the table lacks '{needle}':\n{text}")

elif case == "dr":
    # The logging policy is the target: every row took A with propensity 1 (A is the only action),
    # so w = 1 and DR = (1/n) Σ [q(x, A) + 1·(r - q(x, A))] = the mean reward, whatever the
    # cross-fitted reward model predicts. IPS and SNIPS are the mean reward too. Outcomes of hand.csv:
    # 6 yes of 10.
    rows = read_rows(data)
    path = os.path.join(outdir, "dr_on_policy.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x", "action", "propensity", "outcome"])
        for r in rows:
            w.writerow([r["x"], "A", 1, r["outcome"]])
    doc = as_dict(last_json(run("evaluate", "--data", path, "--action", "action", "--outcome", "outcome", "--positive",
                                "yes", "--propensity", "propensity", "--policy", "fixed:A", "--json")))
    e = doc["policies"][0]["estimators"]
    close("on-policy DR", e["dr"]["value"], 0.6, 1e-12)
    close("on-policy IPS", e["ips"]["value"], 0.6)
    close("on-policy SNIPS", e["snips"]["value"], 0.6)

elif case == "lift":
    # 800 NBA rows with 120 successes, 200 control rows with 20, interleaved.
    #   m1 = 0.15, m0 = 0.10, L = 0.5
    #   Var(m1) = 0.15·0.85/800 = 1.59375e-4;  Var(m0) = 0.1·0.9/200 = 4.5e-4
    #   SE² = 1.59375e-4/0.01 + 0.0225·4.5e-4/1e-4 = 0.0159375 + 0.10125 = 0.1171875
    #   SE = 0.3423265984...;  95%: 0.5 ± 1.959963984540054·SE = [-0.17094..., 1.17094...]
    path = os.path.join(outdir, "lift.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "offer", "accepted"])
        for i in range(1000):
            control = i % 5 == 0
            k = i // 5 if control else i - i // 5 - 1  # index within the arm
            success = k < 20 if control else k < 120
            w.writerow(["ctl" if control else "nba", "o" + str(i % 3), "1" if success else "0"])
    doc = as_dict(last_json(run("evaluate", "--data", path, "--action", "offer", "--outcome", "accepted", "--positive", "1",
                                "--control", "group=ctl", "--json")))
    lift = doc["lift"]
    close("rows", doc["rows"], 1000)
    close("NBA rows", lift["nba"]["rows"], 800)
    close("NBA mean", lift["nba"]["mean"], 0.15)
    close("control mean", lift["control"]["mean"], 0.10)
    close("lift", lift["lift"], 0.5, 1e-12)
    close("SE", lift["se"], math.sqrt(0.1171875), 1e-12)
    close("SE (decimal)", lift["se"], 0.3423265984407288, 1e-12)
    close("low", lift["low"], 0.5 - 1.959963984540054 * math.sqrt(0.1171875), 1e-9)
    close("high", lift["high"], 0.5 + 1.959963984540054 * math.sqrt(0.1171875), 1e-9)

elif case == "obd":
    # Open Bandit Dataset rows: the unnamed index column is not context, timestamps are excluded.
    args = ["evaluate", "--data", data, "--action", "item_id", "--outcome", "click", "--positive", "1", "--propensity",
            "propensity_score", "--exclude", "timestamp", "--policy", "uniform", "--policy", "fixed:25", "--bootstrap",
            "50", "--json"]
    doc = check_shape(last_json(run(*args)))
    rows = read_rows(data)
    items = sorted({r["item_id"] for r in rows})
    close("rows", doc["rows"], len(rows))
    close("actions", doc["actions"], len(items))
    click = lambda r: 1.0 if r["click"] == "1" else 0.0
    p = by_policy(doc)
    for name, target in [("uniform", lambda r, x: 1.0 / len(items)), ("fixed:25", lambda r, x: 1.0 if x == "25" else 0.0)]:
        e = estimates(rows, target, action="item_id", propensity="propensity_score", reward=click)
        close(f"OBD {name} IPS", p[name]["estimators"]["ips"]["value"], e["ips"], 1e-10)
        close(f"OBD {name} ESS", p[name]["ess"], e["ess"], 1e-10)
        if e["snips"] is not None:
            close(f"OBD {name} SNIPS", p[name]["estimators"]["snips"]["value"], e["snips"], 1e-10)
        close(f"OBD {name} unweighted", p[name]["unweighted"], e["unweighted"], 1e-10)
    # the unnamed column is neither a predictor nor an error, and the context is the other 38
    # columns: position, 4 user features, 34 affinities, minus nothing else
    text = run(*[a for a in args if a != "--json"]).stdout
    if "39 context columns" not in text:
        failures.append("expected 39 context columns (position, user_feature_0..3, 34 affinities):\n" + text)

elif case == "models":
    TRAIN = 10000  # fewer, and the learned models send the men's e-mail to everyone
    # Learn on customers 1-10,000 of Hillstrom, evaluate on the next 2,000 (propensity 1/3).
    with open(data, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for _, r in zip(range(TRAIN + 2000), reader)]
    train, test = os.path.join(outdir, "train.csv"), os.path.join(outdir, "test.csv")
    with open(train, "w", newline="") as f:
        csv.writer(f).writerows([header] + rows[:TRAIN])
    with open(test, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header + ["p"])
        for r in rows[TRAIN:]:
            w.writerow(r + ["0.3333333333333333"])
    models = os.path.join(outdir, "models.json")
    run("replay", "--data", train, "--action", "segment", "--outcome", "visit", "--positive", "1", "--exclude",
        "conversion,spend", "--save", models, "--json")
    doc = check_shape(last_json(run("evaluate", "--data", test, "--action", "segment", "--outcome", "visit", "--positive",
                                    "1", "--propensity", "p", "--exclude", "conversion,spend", "--policy",
                                    "models:" + models, "--bootstrap", "20", "--json")))
    # The greedy choice, independently: `nba score` gives each customer's propensity for each action's
    # model (a Name column picks the model); the policy takes the highest, ties to the action that
    # comes first in the test log.
    test_rows = read_rows(test)
    actions = []
    for r in test_rows:
        if r["segment"] not in actions:
            actions.append(r["segment"])
    scored_in = os.path.join(outdir, "score_in.csv")
    context = [c for c in header if c not in ("segment", "visit", "conversion", "spend")]
    with open(scored_in, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(context + ["Name"])
        for r in test_rows:
            for a in actions:
                w.writerow([r[c] for c in context] + [a])
    scored_out = os.path.join(outdir, "score_out.csv")
    run("score", "--input", scored_in, "--model", models, "--output", scored_out)
    scores = [float(r["Propensity"]) for r in read_rows(scored_out)]
    chosen = []
    for i in range(len(test_rows)):
        s = scores[i * len(actions):(i + 1) * len(actions)]
        chosen.append(actions[s.index(max(s))])
    print("greedy choices:", {a: chosen.count(a) for a in actions})
    if len(set(chosen)) < 2:
        failures.append("the learned policy chose one action for every customer: the test would not tell policies apart")
    visit = lambda r: 1.0 if r["visit"] == "1" else 0.0
    row_index = {id(r): i for i, r in enumerate(test_rows)}
    e = estimates(test_rows, lambda r, x: 1.0 if chosen[row_index[id(r)]] == x else 0.0, action="segment", propensity="p",
                  reward=visit)
    pol = doc["policies"][0]
    close("models: IPS", pol["estimators"]["ips"]["value"], e["ips"], 1e-10)
    close("models: SNIPS", pol["estimators"]["snips"]["value"], e["snips"], 1e-10)
    close("models: ESS", pol["ess"], e["ess"], 1e-10)
    close("models: matched rows", pol["matched"], sum(1 for i, r in enumerate(test_rows) if chosen[i] == r["segment"]))

else:
    sys.exit(f"check_evaluate: unknown case {case}")

if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print(f"check_evaluate {case}: all checks hold")
