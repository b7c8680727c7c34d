"""Checks an `nba report` page and Chromium's screenshot of it.

usage: check_report.py REPORT.html SCREENSHOT.png INSPECT_SUMMARY.txt

The page must be self-contained (no script, no external resource), hold one section per model and
one chart per predictor plus a classifier chart per model and the performance chart, as many as
`nba inspect --summary` counts; the screenshot must show the charts: enough pixels of the bar and
of the propensity-line colour, and a page that is not blank.
"""
import re
import sys

from PIL import Image


def fail(message):
    print("check_report: " + message)
    sys.exit(1)


html_path, png_path, summary_path = sys.argv[1:4]
page = open(html_path, encoding="utf-8").read()
summary = open(summary_path, encoding="utf-8").read()

counts = [(int(a), int(b)) for a, b in re.findall(r"(\d+) of (\d+) predictors active", summary)]
if not counts:
    fail("no models in the inspect summary")
expected_charts = 1 + sum(1 + total for _, total in counts)
charts = page.count('<svg class="chart"')
if charts != expected_charts:
    fail(f"{charts} charts in the page, expected {expected_charts} for {len(counts)} models")
for i in range(1, len(counts) + 1):
    if f'<section id="model-{i}">' not in page:
        fail(f"no section for model {i}")
if re.search(r"<script|<link|<img|<iframe|url\(|src=|href=\"(?!#)", page):
    fail("the page is not self-contained: it refers to something outside itself")

image = Image.open(png_path).convert("RGB")
pixels = list(image.getdata())


def count(rgb, tolerance=12):
    return sum(1 for p in pixels if abs(p[0] - rgb[0]) + abs(p[1] - rgb[1]) + abs(p[2] - rgb[2]) <= tolerance)


bars = count((0x4C, 0x78, 0xA8))
lines = count((0xE4, 0x57, 0x56))
white = count((255, 255, 255), 0)
print(f"screenshot {image.size[0]}x{image.size[1]}: {bars} bar pixels, {lines} propensity-line pixels, "
      f"{charts} charts in the page")
if bars < 20000:
    fail(f"only {bars} pixels of the bar colour: the charts did not render")
if lines < 2000:
    fail(f"only {lines} pixels of the propensity-line colour: the lines did not render")
if white > 0.98 * len(pixels):
    fail("the screenshot is blank")
