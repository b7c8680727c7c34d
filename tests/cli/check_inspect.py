"""`nba inspect` against Pega's own figures in an ADM datamart export.

usage: check_inspect.py NBA PREDICTORDATA.csv MODELDATA.csv

Runs `nba inspect` on the export and checks, for every model, the responses, positives, active
and total predictors and the AUC (pyPerformance); for every predictor its AUC (the predictor's
pyPerformance); for every bin its responses and positives, and its lift and z-ratio (pyLift,
pyZRatio) where the export has them. Bins are matched by predictor and by position among the
bins with responses, in Pega's order (pyBinIndex).
"""
import csv
import re
import subprocess
import sys

nba, predictor_path, model_path = sys.argv[1:4]
out = subprocess.run([nba, "inspect", "--datamart", predictor_path, "--datamart-models", model_path],
                     check=True, capture_output=True, text=True).stdout

failures = []


def near(a, b, tolerance):
    return abs(a - b) <= tolerance


# --- what nba prints -------------------------------------------------------------------------
models = {}  # name -> {"head": (...), "predictors": {name: (auc, [(responses, positives, lift, z)])}}
current = predictor = None
for line in out.splitlines():
    m = re.match(r"Model \d+ of \d+: .*Name=([^,]+)", line)
    if m:
        current = models.setdefault(m.group(1), {"predictors": {}})
        predictor = None
        continue
    m = re.match(r"  responses (\d+), positives (\d+) .*AUC ([\d.]+) \(active range [\d.]+\), (\d+) of (\d+) predictors", line)
    if m:
        current["head"] = tuple(float(x) for x in m.groups())
        continue
    m = re.match(r"  (\S+) \((numeric|symbolic), (?:in)?active\)  AUC ([\d.]+)", line)
    if m:
        predictor = current["predictors"].setdefault(m.group(1).upper(), [float(m.group(3)), []])
        continue
    if line.startswith("  Classifier"):
        predictor = None
        continue
    m = re.match(r"\s+\d+  .{30}\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(-?[\d.]+)", line)
    if m and predictor is not None:
        responses, positives, _, lift, z = (float(x) for x in m.groups())
        if responses > 0:
            predictor[1].append((responses, positives, lift, z))

# --- what Pega exported ----------------------------------------------------------------------
ids = {}
for r in csv.DictReader(open(model_path, newline="", encoding="utf-8")):
    ids[r["pymodelid"]] = r["pyname"]
    head = models.get(r["pyname"], {}).get("head")
    want = (float(r["pyresponsecount"]), float(r["pypositives"]), float(r["pyperformance"]),
            float(r["pyactivepredictors"]), float(r["pytotalpredictors"]))
    if head is None:
        failures.append(f"model {r['pyname']}: not in nba's output")
    elif not (head[0] == want[0] and head[1] == want[1] and near(head[2], want[2], 0.0005) and head[3:] == want[3:]):
        failures.append(f"model {r['pyname']}: nba {head}, Pega {want}")

bins = {}
for r in csv.DictReader(open(predictor_path, newline="", encoding="utf-8")):
    name = r["pypredictorname"].upper()
    if name == "CLASSIFIER":
        continue
    key = (ids[r["pymodelid"]], name)
    bins.setdefault(key, {"auc": float(r["pyperformance"]), "bins": []})
    responses = float(r["pybinpositives"]) + float(r["pybinnegatives"])
    if responses > 0:
        bins[key]["bins"].append((int(r["pybinindex"]), responses, float(r["pybinpositives"]),
                                  r["pylift"], r["pyzratio"]))

checked_bins = 0
for (model, name), want in bins.items():
    got = models.get(model, {}).get("predictors", {}).get(name)
    if got is None:
        failures.append(f"{model}/{name}: not in nba's output")
        continue
    if not near(got[0], want["auc"], 0.0005):
        failures.append(f"{model}/{name}: AUC {got[0]}, Pega {want['auc']}")
    expected = [b[1:] for b in sorted(want["bins"])]
    if len(expected) != len(got[1]):
        failures.append(f"{model}/{name}: {len(got[1])} bins with responses, Pega {len(expected)}")
        continue
    for (responses, positives, lift, z), (w_resp, w_pos, w_lift, w_z) in zip(got[1], expected):
        checked_bins += 1
        if (responses, positives) != (w_resp, w_pos):
            failures.append(f"{model}/{name}: bin ({responses}, {positives}), Pega ({w_resp}, {w_pos})")
        if w_lift not in ("", "NA") and not near(lift, float(w_lift), 0.006):
            failures.append(f"{model}/{name}: lift {lift}, Pega {w_lift}")
        if w_z not in ("", "NA") and not near(z, float(w_z), 0.006):
            failures.append(f"{model}/{name}: z-ratio {z}, Pega {w_z}")

print(f"{len(models)} models, {len(bins)} predictors, {checked_bins} bins compared with Pega's export")
if failures:
    print("\n".join(failures[:30]))
    sys.exit(1)
