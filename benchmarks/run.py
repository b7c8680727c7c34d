"""Runs nba's benchmarks and writes their results into docs/benchmarks.md (between the
"results" markers) and docs/images/benchmarks-decision.png.

usage: /usr/bin/python3 benchmarks/run.py [--quick] [--no-build]

Builds the `bench` preset (Release), runs build/bench/benchmarks/nba_benchmarks (median of 3
repetitions), runs the scikit-learn peer (benchmarks/peers/sklearn_decision.py) for N = 1,000
offers, K = 50 predictors, and writes: the decision table (time per decision, ratio to the limit
kernel, the naive C++ peer), learning, merging and loading throughput, memory per model and per
offer, the machine and the compiler. --quick runs each benchmark once, briefly (to try the script).
Needs Debian's python3-matplotlib (hence /usr/bin/python3).
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
BINARY = os.path.join(BUILD, "benchmarks", "nba_benchmarks")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
PLOT = os.path.join(ROOT, "docs", "images", "benchmarks-decision.png")
quick = "--quick" in sys.argv


def run(cmd, **kw):
    print("+ " + " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


if "--no-build" not in sys.argv:
    run(["cmake", "--preset", "bench"], stdout=subprocess.DEVNULL)
    run(["cmake", "--build", BUILD, "--target", "nba_benchmarks"], stdout=subprocess.DEVNULL)

out_json = os.path.join(BUILD, "results.json")
args = [BINARY, "--benchmark_out_format=json", "--benchmark_out=" + out_json,
        "--benchmark_filter=^(decide|limit_kernel|naive|learn|merge|load_json)"]
args += ["--benchmark_min_time=0.01"] if quick else ["--benchmark_min_time=0.2", "--benchmark_repetitions=3",
                                                       "--benchmark_report_aggregates_only=true"]
run(args, stdout=subprocess.DEVNULL)
data = json.load(open(out_json))
peer = json.loads(run(["/usr/bin/python3", os.path.join(ROOT, "benchmarks", "peers", "sklearn_decision.py"), "1000", "50",
                       "--json"], stdout=subprocess.PIPE, text=True).stdout)

results = {}  # name -> entry (the median when repeated)
for b in data["benchmarks"]:
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
        continue
    results[b.get("run_name", b["name"])] = b


def micros(entry):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[entry["time_unit"]]
    return entry["real_time"] * scale


GRID = [(n, k) for n in (10, 100, 1000, 10000) for k in (10, 50, 200)]


def t(name, n, k):
    e = results.get(f"{name}/{n}/{k}")
    return micros(e) if e else None


def fmt(us):
    if us is None:
        return "—"
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    return f"{us:.1f} µs" if us < 100 else f"{us:.0f} µs"


lines = []
ctx = data["context"]
cpu = platform.processor() or "unknown"
try:
    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read()).group(1)
except (OSError, AttributeError):
    pass
compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
lines.append(f"Run {datetime.date.today().isoformat()} on {cpu}, {ctx['num_cpus']} cores at {ctx['mhz_per_cpu']} MHz "
             f"(as the benchmark library reports them), {platform.system()} {platform.release()}; compiler "
             f"{compiler}, `-O3 -DNDEBUG` (CMake Release); load average at the start "
             f"{', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}. Median of 3 repetitions"
             f"{' (quick run: one short repetition)' if quick else ''}. Reproduce with "
             f"`/usr/bin/python3 benchmarks/run.py`.")
lines.append("")
lines.append("### One decision: N offers × K predictors")
lines.append("")
lines.append("Time per decision (raw profile values in, a ranked decision with the top 5 selected out), "
             "and its ratio to the limit kernel on the same N and K.")
lines.append("")
lines.append("| N offers | K predictors | limit kernel | nba, shared binnings | ratio | nba, distinct binnings | ratio | model set without a plan | naive C++ |")
lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n, k in GRID:
    kern, shared, distinct = t("limit_kernel", n, k), t("decide_plan_shared", n, k), t("decide_plan_distinct", n, k)
    ratio = lambda x: f"{x / kern:.2f}×" if x and kern else "—"
    lines.append(f"| {n:,} | {k} | {fmt(kern)} | {fmt(shared)} | {ratio(shared)} | {fmt(distinct)} | {ratio(distinct)} | "
                 f"{fmt(t('decide_model_set', n, k))} | {fmt(t('naive', n, k))} |")
lines.append("")
nba_1000_50 = t("decide_plan_distinct", 1000, 50)
lines.append(f"The scikit-learn peer, N = 1,000, K = 50 (`benchmarks/peers/sklearn_decision.py`, the same "
             f"structure with distinct binnings): one `CategoricalNB.predict_proba` per offer "
             f"{fmt(peer['per_model_us'])} per decision — {peer['per_model_us'] / nba_1000_50:,.0f}× nba's "
             f"{fmt(nba_1000_50)}; the same arithmetic vectorised over all offers in NumPy {fmt(peer['vectorised_us'])} — "
             f"{peer['vectorised_us'] / nba_1000_50:.0f}×.")
lines.append("")
lines.append("### Memory")
lines.append("")
lines.append("| K predictors | per model | per offer in a plan (shared binnings) | per offer in a plan (distinct binnings) |")
lines.append("|---:|---:|---:|---:|")
for k in (10, 50, 200):
    s, d = results.get(f"decide_plan_shared/1000/{k}"), results.get(f"decide_plan_distinct/1000/{k}")
    if s and d:
        lines.append(f"| {k} | {s['model_bytes'] / 1024:.1f} KiB | {s['plan_bytes_per_offer'] / 1024:.1f} KiB | "
                     f"{d['plan_bytes_per_offer'] / 1024:.1f} KiB |")
lines.append("")
lines.append("Heap bytes live after building 1,000 fixed-bins models (Pega-style: 10 intervals or 12 symbols per "
             "predictor) and the plan for 1,000 offers, counted by a replaced `operator new` (glibc's usable block size).")
lines.append("")
lines.append("### Learning, merging, loading")
lines.append("")
lines.append("| what | K = 10 | K = 50 | K = 200 |")
lines.append("|---|---:|---:|---:|")


def rate(name, k):
    e = results.get(f"{name}/{k}")
    return f"{e['items_per_second'] / 1e6:.2f} M/s" if e and "items_per_second" in e else "—"


for name, label in [("learn_adaptive", "learn(): responses per second, adaptive model (re-binning included)"),
                    ("learn_fixed_bins", "learn(): responses per second, fixed-bins (imported) model"),
                    ("learn_batch_adaptive", "learn_batch() of 256: responses per second, adaptive model"),
                    ("learn_batch_fixed_bins", "learn_batch() of 256: responses per second, fixed-bins model"),
                    ("learn_bins_batch", "learn_bins_batch() of 256, from a plan's bins: responses per second, fixed-bins model")]:
    lines.append(f"| {label} | {rate(name, 10)} | {rate(name, 50)} | {rate(name, 200)} |")
merge = {k: results.get(f"merge_models/{k}") for k in (10, 50)}
lines.append("| merge(): two copies of an adaptive model that learned 20,000 responses each | "
             + " | ".join(fmt(micros(merge[k])) if merge[k] else "—" for k in (10, 50)) + " | — |")
load = {k: results.get(f"load_json/{k}") for k in (10, 50)}
lines.append("| loading 1,000 models from nba's JSON text (parse and validate) | "
             + " | ".join(f"{fmt(micros(load[k]))} ({load[k]['megabytes']:.1f} MB)" if load[k] else "—" for k in (10, 50))
             + " | — |")
lines.append("")

# the plot: time per decision against N, one panel per K
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=True)
for ax, k in zip(axes, (10, 50, 200)):
    ns = [10, 100, 1000, 10000]
    for name, label, style in [("limit_kernel", "limit kernel", "k--"),
                               ("decide_plan_shared", "nba, shared binnings", "o-"),
                               ("decide_plan_distinct", "nba, distinct binnings", "s-"),
                               ("decide_model_set", "model set, no plan", "^:"),
                               ("naive", "naive C++", "x-.")]:
        xs = [n for n in ns if t(name, n, k)]
        ax.loglog(xs, [t(name, n, k) for n in xs], style, label=label)
    ax.set_title(f"K = {k} predictors")
    ax.set_xlabel("offers N")
    ax.grid(True, which="both", alpha=0.3)
axes[0].set_ylabel("µs per decision")
axes[0].legend(fontsize=8)
fig.tight_layout()
os.makedirs(os.path.dirname(PLOT), exist_ok=True)
fig.savefig(PLOT, dpi=110)

doc = open(DOC, encoding="utf-8").read()
begin, end = "<!-- results begin -->", "<!-- results end -->"
i, j = doc.index(begin) + len(begin), doc.index(end)
doc = doc[:i] + "\n" + "\n".join(lines) + "\n" + doc[j:]
open(DOC, "w", encoding="utf-8").write(doc)
print(f"wrote {DOC} and {PLOT}", file=sys.stderr)
