"""Checks the calibration a replay reports and the reliability curve `nba report --replay` draws.

usage: check_reliability.py REPLAY.json PREDICTIONS.csv REPORT.html SCREENSHOT.png

From the predictions file alone (written by `nba replay --save-predictions`) this script bins the
predictions in 10 equal-width bins [b/10, (b+1)/10) (the last closed) and computes the expected
calibration error Σ_b (n_b / n)·|observed_b − mean predicted_b|. The replay's JSON `ece` must equal
it; the page must show it, hold two reliability charts and a table row per non-empty bin with its
count, mean prediction and observed rate; the screenshot must show the bars and the curve.
"""
import csv
import html
import json
import re
import sys

from PIL import Image

replay_path, predictions_path, page_path, png_path = sys.argv[1:5]
failures = []

replay = json.loads(open(replay_path).read().strip().splitlines()[-1])
with open(predictions_path, newline="") as f:
    pairs = [(float(r["prediction"]), int(r["outcome"])) for r in csv.DictReader(f)]
expected_rows = replay.get("matched", replay["rows"])  # an offer replay predicts on its matched rows
if len(pairs) != expected_rows:
    failures.append(f"{len(pairs)} predictions in the file, expected {expected_rows}")
bins = [[0, 0.0, 0] for _ in range(10)]  # count, sum of predictions, positives
for p, y in pairs:
    b = min(9, int(p * 10))
    bins[b][0] += 1
    bins[b][1] += p
    bins[b][2] += y
n = len(pairs)
ece = sum(c / n * abs(pos / c - s / c) for c, s, pos in bins if c)
print(f"{n} predictions; ECE computed here {ece:.12f}, nba replay says {replay['ece']:.12f}")
if abs(ece - replay["ece"]) > 1e-12:
    failures.append(f"the replay's ECE {replay['ece']} is not the ECE of its predictions, {ece}")

page = open(page_path, encoding="utf-8").read()
shown = re.search(r'<strong class="ece">([0-9.]+)</strong>', page)
if not shown or shown.group(1) != f"{ece:.4f}":
    failures.append(f"the page shows ECE {shown.group(1) if shown else None}, expected {ece:.4f}")
if page.count('<svg class="chart reliability"') != 2:
    failures.append("expected two reliability charts (equal width, equal mass)")
rows = re.findall(r"<tr><td>\[([0-9.]+), ([0-9.]+)[)\]]</td><td>(\d+)</td><td>([0-9.]+)</td><td>([0-9.]+)</td>", page)
expected = [(f"{b / 10:.1f}", c, f"{s / c:.4f}", f"{pos / c:.4f}") for b, (c, s, pos) in enumerate(bins) if c]
got = [(lo, int(c), mp, ob) for lo, _, c, mp, ob in rows]
if got != [(lo, c, mp, ob) for lo, c, mp, ob in expected]:
    failures.append(f"the page's bins {got} are not {expected}")
if re.search(r"<script|<link|<img|<iframe|url\(|src=", page):
    failures.append("the page is not self-contained")

image = Image.open(png_path).convert("RGB")
pixels = list(image.getdata())


def count(rgb, tolerance=40):
    return sum(1 for p in pixels if abs(p[0] - rgb[0]) + abs(p[1] - rgb[1]) + abs(p[2] - rgb[2]) <= tolerance)


bars = count((0x9C, 0xB4, 0xD0))   # the bar colour #4c78a8 at 55 % opacity on white
lines = count((0xE4, 0x57, 0x56), 12)
print(f"screenshot {image.size[0]}x{image.size[1]}: {bars} bar pixels, {lines} curve pixels")
if bars < 3000:
    failures.append(f"only {bars} pixels of the bars: the histogram did not render")
if lines < 1000:
    failures.append(f"only {lines} pixels of the curve colour: the reliability curve did not render")

if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print("check_reliability: all checks hold")
