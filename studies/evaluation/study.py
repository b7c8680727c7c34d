"""The off-policy evaluation study of docs/evaluation.md ("Measured"): how right `nba evaluate` is
on logs whose logging policy depended on the customer, and on a real third-party log.

usage: /usr/bin/python3 studies/evaluation/study.py [--logs N] [--bootstrap B] [--nba PATH]
                                                      [--out DIR] [--quick] [--no-docs]

1. Hillstrom (examples/data/hillstrom.csv): 64,000 customers e-mailed at random, 1/3 each. A fixed
   seeded shuffle splits them into a training half (models are learned on it with `nba replay
   --action segment --save`: the target policy `models:`) and an evaluation half E. Each log is
   made from E: 32,000 customers drawn from E with replacement (a fresh sample of the same
   population, so that logs vary as independent samples do), then each kept with probability
   π_log(a | x) / c, where a is the customer's random e-mail and c = max π_log: the kept rows have
   E's mix of customers and the logging policy's choice of e-mail, and their logged propensity is
   π_log(a | x). Two logging policies (LOGGING below): one depends strongly on recency and
   purchase history, one mildly on what the customer bought. For every log `nba evaluate` runs with
   the five target policies; the estimates are compared with the truth on E — for each policy the
   mean visit rate of E's customers whose random e-mail is the one the policy sends (for a fixed
   policy, its arm of the experiment; for uniform, E's mean; for the learned policy, the replay
   estimate of Li et al.), computed here from the file, with the policy's choices from `nba score`.
   Reported per estimator: bias (mean error, with its Monte Carlo standard error), RMSE, the share
   of 95 % intervals that hold the truth, their mean width, and the same for the unweighted mean of
   the matched rows (what ignoring the logging propensities gives).
2. Open Bandit Dataset (examples/data/obd): the uniform policy's click rate estimated from the
   Bernoulli-Thompson-sampling log against the uniform log's own mean click: relative error
   |estimate − truth| / truth per estimator, with intervals.

Writes studies/evaluation/results.json and the tables between the "study" markers of
docs/evaluation.md (unless --no-docs or --quick). Without --nba it builds the tool first (Release,
build/study). --quick: 3 logs per logging policy, 20 resamples, nothing written but --out: the
smoke run CI does. Pure standard library: the truths and the logs are computed here, not by nba.
"""
import argparse
import csv
import datetime
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HILLSTROM = os.path.join(ROOT, "examples", "data", "hillstrom.csv")
OBD = os.path.join(ROOT, "examples", "data", "obd")
DOC = os.path.join(ROOT, "docs", "evaluation.md")
RESULTS = os.path.join(ROOT, "studies", "evaluation", "results.json")
ACTIONS = ["Mens E-Mail", "Womens E-Mail", "No E-Mail"]
SPLIT_SEED = 20080101  # the training / evaluation split of Hillstrom
LOG_SEED = 1000        # log s of a logging policy is drawn with random.Random(LOG_SEED + s)


def engaged(x):
    return int(x["recency"]) <= 3 or float(x["history"]) >= 600


# The logging policies: customer -> probability of each action in ACTIONS order.
LOGGING = {
    # strongly customer-dependent: engaged customers (bought within 3 months, or spent $600 or more;
    # 38 % of customers, who visit more) mostly get the men's e-mail, the others mostly nothing
    "engagement": lambda x: (0.80, 0.15, 0.05) if engaged(x) else (0.10, 0.20, 0.70),
    # mildly: the e-mail of what the customer bought before, uniform for those who bought both
    "purchases": lambda x: ((0.6, 0.2, 0.2) if x["mens"] == "1" and x["womens"] == "0" else
                            (0.2, 0.6, 0.2) if x["womens"] == "1" and x["mens"] == "0" else
                            (1 / 3, 1 / 3, 1 / 3)),
}
LOGGING_TEXT = {
    "engagement": "engaged customers (recency ≤ 3 months or history ≥ $600: 38 %) get Mens / Womens / No e-mail "
                  "with 0.80 / 0.15 / 0.05, the others with 0.10 / 0.20 / 0.70",
    "purchases": "men's-wear-only buyers get Mens / Womens / No e-mail with 0.6 / 0.2 / 0.2, women's-wear-only "
                 "buyers 0.2 / 0.6 / 0.2, those who bought both 1/3 each",
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def last_json(text):
    return json.loads([line for line in text.splitlines() if line.strip()][-1])


def build_tool():
    build = os.path.join(ROOT, "build", "study")
    print("+ building the nba tool (Release) in build/study", file=sys.stderr)
    run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DNBA_BUILD_TESTS=OFF",
         "-DNBA_BUILD_EXAMPLES=OFF", "-DNBA_BUILD_TOOLS=ON", "-DNBA_BUILD_BENCHMARKS=OFF", "-DNBA_INSTALL=OFF"])
    run(["cmake", "--build", build, "--target", "nba_cli"])
    return os.path.join(build, "tools", "nba", "nba")


def greedy_choices(nba, models, header, rows, work):
    """The action the learned policy sends each row: the highest propensity `nba score` gives
    among the three actions' models, ties to the first in ACTIONS order (the order of the logs,
    whose first rows are written in that order — see make_log)."""
    context = [c for c in header if c not in ("segment", "visit", "conversion", "spend")]
    path_in, path_out = os.path.join(work, "score_in.csv"), os.path.join(work, "score_out.csv")
    write_csv(path_in, context + ["Name"], ([r[c] for c in context] + [a] for r in rows for a in ACTIONS))
    run([nba, "score", "--input", path_in, "--model", models, "--output", path_out])
    with open(path_out, newline="") as f:
        p = [float(r["Propensity"]) for r in csv.DictReader(f)]
    choices = []
    for i in range(len(rows)):
        s = p[3 * i:3 * i + 3]
        choices.append(ACTIONS[s.index(max(s))])
    return choices


def actions_first(rows, action=lambda r: r["segment"]):
    """`rows` with one row of each action moved to the front, in ACTIONS order: the tool breaks
    ties between actions in the log's order of first appearance, greedy_choices in ACTIONS order."""
    rows = list(rows)
    first = []
    for a in ACTIONS:
        first.append(rows.pop(next(i for i, r in enumerate(rows) if action(r) == a)))
    return first + rows


def make_log(rows, header, logging, seed, path):
    """Resample E with replacement, keep each drawn row with probability π_log(a | x) / c."""
    rng = random.Random(seed)
    c = max(max(logging(x)) for x in rows)
    kept = []
    for _ in range(len(rows)):
        x = rows[rng.randrange(len(rows))]
        p = logging(x)[ACTIONS.index(x["segment"])]
        if rng.random() < p / c:
            kept.append((x, p))
    kept = actions_first(kept, lambda xp: xp[0]["segment"])
    write_csv(path, header + ["propensity"], ([x[h] for h in header] + [repr(p)] for x, p in kept))
    return len(kept)


def summarise(errors, covered, widths):
    n = len(errors)
    bias = statistics.fmean(errors)
    return {"bias": bias, "bias_se": statistics.stdev(errors) / math.sqrt(n) if n > 1 else float("nan"),
            "rmse": math.sqrt(statistics.fmean(e * e for e in errors)),
            "coverage": statistics.fmean(covered) if covered else None,
            "width": statistics.fmean(widths) if widths else None}


def hillstrom_study(nba, logs, bootstrap, work):
    with open(HILLSTROM, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = list(reader)
    order = list(range(len(rows)))
    random.Random(SPLIT_SEED).shuffle(order)
    half = len(rows) // 2
    train = [rows[i] for i in sorted(order[:half])]
    evaluation = [rows[i] for i in sorted(order[half:])]
    train_path = os.path.join(work, "train.csv")
    write_csv(train_path, header, ([r[h] for h in header] for r in train))
    models = os.path.join(work, "models.json")
    replay_cmd = [nba, "replay", "--data", train_path, "--action", "segment", "--outcome", "visit", "--positive", "1",
                  "--exclude", "conversion,spend", "--seed", "1", "--save", models, "--json"]
    run(replay_cmd)
    policies = ["fixed:" + a for a in ACTIONS] + ["uniform", "models:" + models]

    # the truth on E: mean visit of the rows whose random e-mail is the policy's (π-weighted)
    choice = greedy_choices(nba, models, header, evaluation, work)
    visit = [1.0 if r["visit"] == "1" else 0.0 for r in evaluation]

    def target(policy, i, a):
        if policy.startswith("fixed:"):
            return 1.0 if a == policy[6:] else 0.0
        if policy == "uniform":
            return 1 / 3
        return 1.0 if a == choice[i] else 0.0

    truth, truth_se, ips_limit = {}, {}, {}
    for p in policies:
        pi = [target(p, i, r["segment"]) for i, r in enumerate(evaluation)]
        m = sum(w * y for w, y in zip(pi, visit)) / sum(pi)
        truth[p] = m
        # the standard error of the truth itself: the matched rows' mean (binomial), or E's mean
        truth_se[p] = math.sqrt(m * (1 - m) / (sum(pi) if p != "uniform" else len(evaluation)))
        for name, logging in LOGGING.items():
            # what IPS converges to on logs drawn from E: Σ π(a|x) r / Σ π_log(a|x) (see the docs)
            mu = [logging(r)[ACTIONS.index(r["segment"])] for r in evaluation]
            ips_limit[(name, p)] = sum(w * y for w, y in zip(pi, visit)) / sum(mu)
    # consistency: the tool on E itself, with the known propensity 1/3, gives the same SNIPS
    e_path = os.path.join(work, "evaluation.csv")
    write_csv(e_path, header + ["propensity"],
              ([r[h] for h in header] + ["0.3333333333333333"] for r in actions_first(evaluation)))
    on_e = last_json(run([nba, "evaluate", "--data", e_path, "--action", "segment", "--outcome", "visit", "--positive",
                          "1", "--propensity", "propensity", "--exclude", "conversion,spend", "--bootstrap", "0",
                          *[a for p in policies for a in ("--policy", p)], "--json"]).stdout)
    for p, got in zip(policies, on_e["policies"]):
        if not math.isclose(got["estimators"]["snips"]["value"], truth[p], rel_tol=1e-9):
            sys.exit(f"study: the tool's SNIPS of {p} on E is {got['estimators']['snips']['value']}, "
                     f"computed here {truth[p]}: the truth or the tool is wrong")

    results = {"train_rows": len(train), "evaluation_rows": len(evaluation), "logs": logs, "bootstrap": bootstrap,
               "replay": " ".join(["nba"] + [os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in replay_cmd[1:]]),
               "truth": {label(p): t for p, t in truth.items()}, "truth_se": {label(p): t for p, t in truth_se.items()},
               "choices": {a: choice.count(a) for a in ACTIONS}, "logging": {}}
    for name, logging in LOGGING.items():
        per = {p: {k: [] for k in ("ips", "snips", "dr", "unweighted", "ess")} for p in policies}
        cover = {p: {k: [] for k in ("ips", "snips", "dr")} for p in policies}
        width = {p: {k: [] for k in ("ips", "snips", "dr")} for p in policies}
        sizes, seconds = [], []
        command = None
        for s in range(logs):
            path = os.path.join(work, f"log-{name}.csv")
            sizes.append(make_log(evaluation, header, logging, LOG_SEED + s, path))
            cmd = [nba, "evaluate", "--data", path, "--action", "segment", "--outcome", "visit", "--positive", "1",
                   "--propensity", "propensity", "--exclude", "conversion,spend", "--bootstrap", str(bootstrap),
                   "--seed", str(s + 1), *[a for p in policies for a in ("--policy", p)], "--json"]
            command = command or cmd
            start = time.perf_counter()
            doc = last_json(run(cmd).stdout)
            seconds.append(time.perf_counter() - start)
            for p, got in zip(policies, doc["policies"]):
                for k in ("ips", "snips", "dr"):
                    e = got["estimators"][k]
                    per[p][k].append(e["value"] - truth[p])
                    cover[p][k].append(1.0 if e["low"] <= truth[p] <= e["high"] else 0.0)
                    width[p][k].append(e["high"] - e["low"])
                per[p]["unweighted"].append(got["unweighted"] - truth[p])
                per[p]["ess"].append(got["ess"])
            print(f"  {name} log {s + 1}/{logs}: {sizes[-1]} rows, {seconds[-1]:.2f} s", file=sys.stderr)
        table = {}
        for p in policies:
            row = {k: summarise(per[p][k], cover[p][k], width[p][k]) for k in ("ips", "snips", "dr")}
            row["unweighted"] = summarise(per[p]["unweighted"], [], [])
            row["ess"] = statistics.fmean(per[p]["ess"])
            row["ips_limit_offset"] = ips_limit[(name, p)] - truth[p]
            table[label(p)] = row
        results["logging"][name] = {
            "policy": LOGGING_TEXT[name], "c": max(max(logging(x)) for x in evaluation),
            "mean_rows": statistics.fmean(sizes), "min_rows": min(sizes), "max_rows": max(sizes),
            "seconds_per_log": statistics.fmean(seconds), "table": table,
            "command": shorten(["nba"] + command[1:])}
    return results


def obd_study(nba, bootstrap, work):
    random_log, bts_log = os.path.join(OBD, "men_random.csv"), os.path.join(OBD, "men_bts.csv")
    with open(random_log, newline="") as f:
        clicks = [1.0 if r["click"] == "1" else 0.0 for r in csv.DictReader(f)]
    truth = statistics.fmean(clicks)
    truth_se = math.sqrt(truth * (1 - truth) / len(clicks))
    cmd = [nba, "evaluate", "--data", bts_log, "--action", "item_id", "--outcome", "click", "--positive", "1",
           "--propensity", "propensity_score", "--exclude", "timestamp", "--policy", "uniform", "--bootstrap",
           str(bootstrap), "--json"]
    doc = last_json(run(cmd).stdout)
    p = doc["policies"][0]
    out = {"truth": truth, "truth_se": truth_se, "truth_rows": len(clicks), "truth_clicks": int(sum(clicks)),
           "rows": doc["rows"], "actions": doc["actions"], "logged_mean": doc["logged_mean"], "ess": p["ess"],
           "command": " ".join(["nba"] + [os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in cmd[1:]]),
           "estimators": {}}
    for k in ("ips", "snips", "dr"):
        e = p["estimators"][k]
        out["estimators"][k] = dict(e, relative_error=abs(e["value"] - truth) / truth)
    out["estimators"]["unweighted"] = {"value": p["unweighted"], "relative_error": abs(p["unweighted"] - truth) / truth}
    return out


def markdown(results):
    h = results["hillstrom"]
    lines = [f"Run {results['date']} with `{results['command']}` ({results['machine']}; "
             f"{results['minutes']:.0f} minutes). Raw figures: `studies/evaluation/results.json`.", ""]
    lines += [f"**Hillstrom.** Training half {h['train_rows']:,} customers (models learned with "
              f"`{h['replay']}`, the file a temporary copy of the training half); "
              f"evaluation half E {h['evaluation_rows']:,}. The learned policy sends "
              + ", ".join(f"{a} to {n:,}" for a, n in h["choices"].items()) + " of E's customers. "
              f"{h['logs']} logs per logging policy, {h['bootstrap']} bootstrap resamples each.", ""]
    lines += ["| target policy | truth on E (its SE) |", "|---|---|"]
    for p, t in h["truth"].items():
        lines.append(f"| `{label(p)}` | {t:.4f} ({h['truth_se'][p]:.4f}) |")
    for name, lg in h["logging"].items():
        lines += ["", f"*Logging policy `{name}`*: {lg['policy']} (c = {lg['c']:.2f}); logs of "
                      f"{lg['mean_rows']:,.0f} rows on average ({lg['min_rows']:,}–{lg['max_rows']:,}), "
                      f"{lg['seconds_per_log']:.2f} s per `nba evaluate` run. One of the runs: `{lg['command']}`.", "",
                  "| target policy | mean ESS | estimator | bias (± MC SE) | RMSE | 95 % coverage | mean width |",
                  "|---|---:|---|---:|---:|---:|---:|"]
        lines.insert(len(lines) - 2, "What IPS converges to on logs drawn from E, Σ π(a|x)·r / Σ π_log(a|x) over E, differs "
                                     "from the truth by " + ", ".join(f"{t['ips_limit_offset']:+.4f} (`{label(p)}`)"
                                                                       for p, t in lg["table"].items()) + ".")
        lines.insert(len(lines) - 2, "")
        for p, t in lg["table"].items():
            for k in ("ips", "snips", "dr", "unweighted"):
                s = t[k]
                cov = f"{100 * s['coverage']:.1f} %" if s["coverage"] is not None else "—"
                wid = f"{s['width']:.4f}" if s["width"] is not None else "—"
                first = f"`{label(p)}`" if k == "ips" else ""
                ess = f"{t['ess']:,.0f}" if k == "ips" else ""
                lines.append(f"| {first} | {ess} | {k.upper() if k != 'unweighted' else 'unweighted mean'} | "
                             f"{s['bias']:+.4f} (± {s['bias_se']:.4f}) | {s['rmse']:.4f} | {cov} | {wid} |")
    o = results["obd"]
    lines += ["", f"**Open Bandit Dataset.** Truth: the uniform log's mean click, {o['truth']:.5f} "
                  f"({o['truth_clicks']} clicks in {o['truth_rows']:,}; SE {o['truth_se']:.5f}, so its own 95 % interval is "
                  f"[{o['truth'] - 1.96 * o['truth_se']:.5f}, {o['truth'] + 1.96 * o['truth_se']:.5f}]). "
                  f"Estimated from the Thompson-sampling log ({o['rows']:,} rows, {o['actions']} items, its own mean click "
                  f"{o['logged_mean']:.5f}; ESS {o['ess']:,.0f}) with `{o['command']}`:", "",
              "| estimator | estimate [95 % interval] | relative error |", "|---|---|---:|"]
    for k, e in o["estimators"].items():
        interval = f" [{e['low']:.5f}, {e['high']:.5f}]" if "low" in e else ""
        lines.append(f"| {k.upper() if k != 'unweighted' else 'unweighted mean'} | {e['value']:.5f}{interval} | "
                     f"{100 * e['relative_error']:.1f} % |")
    return "\n".join(lines) + "\n"


def label(policy):
    return "models:(learned)" if policy.startswith("models:") else policy


def shorten(command):
    """A command as the docs show it: the log and the model set by a placeholder name."""
    return " ".join("LOG.csv" if a.endswith(".csv") else "models:MODELS.json" if a.startswith("models:") else
                    f"'{a}'" if " " in a else a for a in command)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logs", type=int, default=200, help="logs per logging policy (default 200)")
    ap.add_argument("--bootstrap", type=int, default=200, help="resamples per interval (default 200)")
    ap.add_argument("--nba", help="the nba tool (default: build it in build/study)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "study", "work"), help="working directory")
    ap.add_argument("--quick", action="store_true", help="3 logs, 20 resamples, write nothing but --out")
    ap.add_argument("--no-docs", action="store_true", help="do not write docs/evaluation.md and results.json")
    args = ap.parse_args()
    if args.quick:
        args.logs, args.bootstrap, args.no_docs = 3, 20, True
    os.makedirs(args.out, exist_ok=True)
    nba = args.nba or build_tool()
    start = time.time()
    results = {"hillstrom": hillstrom_study(nba, args.logs, args.bootstrap, args.out),
               "obd": obd_study(nba, 2000 if not args.quick else 20, args.out)}
    results["minutes"] = (time.time() - start) / 60
    results["date"] = datetime.date.today().isoformat()
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results["command"] = "/usr/bin/python3 studies/evaluation/study.py" + (
        f" --logs {args.logs}" if args.logs != 200 else "") + (f" --bootstrap {args.bootstrap}" if args.bootstrap != 200 else "")
    text = markdown(results)
    print(text)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    if args.no_docs:
        return
    with open(RESULTS, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")
    doc = open(DOC).read()
    begin, end = "<!-- study: begin (studies/evaluation/study.py writes this) -->", "<!-- study: end -->"
    if begin not in doc or end not in doc:
        sys.exit("study: docs/evaluation.md lacks the study markers")
    doc = doc[:doc.index(begin) + len(begin)] + "\n" + text + doc[doc.index(end):]
    with open(DOC, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
