"""Runs nba's benchmarks and writes their results into docs/benchmarks.md (between the
"results" markers) and docs/images/benchmarks-decision.png.

usage: /usr/bin/python3 benchmarks/run.py [--quick] [--no-build] [--no-instructions]

Builds the `bench` preset (Release, -O3), runs build/bench/benchmarks/nba_benchmarks (the median
of 3 repetitions of each benchmark, CPU time: this machine is shared, and CPU time is what a
decision costs the core it runs on), counts instructions per decision under Valgrind's callgrind
(nba_instructions; repeatable where times are not), runs the scikit-learn peer for N = 1,000
offers, K = 50 predictors, and writes: the decision tables (nba's plan alone and end to end
against the hand-written loop and the limit kernel, for every kind of model), the pipeline's and
the look-up's share, updates, memory, learning, merging and loading, the machine, the compiler
and the load average before and after. --quick runs each benchmark once, briefly (to try the
script). Needs Debian's python3-matplotlib (hence /usr/bin/python3) and valgrind for the counts.
"""
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
BINARY = os.path.join(BUILD, "benchmarks", "nba_benchmarks")
COUNTER = os.path.join(BUILD, "benchmarks", "nba_instructions")
LEARN_COUNTER = os.path.join(BUILD, "benchmarks", "nba_learn_instructions")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
PLOT = os.path.join(ROOT, "docs", "images", "benchmarks-decision.png")
quick = "--quick" in sys.argv


def run(cmd, **kw):
    print("+ " + " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def load_average():
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


if "--no-build" not in sys.argv:
    run(["cmake", "--preset", "bench"], stdout=subprocess.DEVNULL)
    run(["cmake", "--build", BUILD, "--target", "nba_benchmarks", "nba_instructions", "nba_learn_instructions"],
        stdout=subprocess.DEVNULL)

load_before = load_average()
out_json = os.path.join(BUILD, "results.json")
args = [BINARY, "--benchmark_out_format=json", "--benchmark_out=" + out_json,
        "--benchmark_filter=^(plan_|decide|engine_|hand_loop|limit_kernel|pipeline_only|offer_lookup|publish_|naive|learn|hand_learn|merge|load_json)"]
args += ["--benchmark_min_time=0.01"] if quick else ["--benchmark_min_time=0.2", "--benchmark_repetitions=3",
                                                       "--benchmark_report_aggregates_only=true"]
run(args, stdout=subprocess.DEVNULL)
data = json.load(open(out_json))
load_after_benchmarks = load_average()

# instructions per decision (N = 1,000), counted by callgrind
instructions = {}
if "--no-instructions" not in sys.argv and shutil.which("valgrind"):
    decisions = 2 if quick else 20
    for case, k in [("own", 50), ("pega_jittered", 43)]:
        for what in ["score_all", "decide", "decide_by_position", "hand_loop", "limit_kernel", "pipeline"]:
            out = os.path.join(BUILD, f"callgrind.{what}.{case}")
            run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--callgrind-out-file=" + out, COUNTER, what, case,
                 "1000", str(k), str(decisions)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            total = int(re.search(r"^summary: (\d+)", open(out).read(), re.M).group(1))
            instructions[(what, case)] = total / decisions
    # instructions per engine publish (1,000 responses touching 10 of 1,000 models), counted by callgrind
    publishes = 1 if quick else 3
    for case, k in [("own", 50), ("pega_jittered", 43)]:
        out = os.path.join(BUILD, f"callgrind.publish.{case}")
        run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--callgrind-out-file=" + out, COUNTER, "publish", case,
             "1000", str(k), str(publishes)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = int(re.search(r"^summary: (\d+)", open(out).read(), re.M).group(1))
        instructions[("publish", case)] = total / publishes
    # instructions per learned response (K = 50, batches of 256), counted by callgrind
    batches = 2 if quick else 20
    for what in ["batch", "hand_batch"]:
        for mode in ["fixed_bins", "adaptive"]:
            out = os.path.join(BUILD, f"callgrind.learn.{what}.{mode}")
            run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--callgrind-out-file=" + out, LEARN_COUNTER, what, mode,
                 "50", str(batches)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            total = int(re.search(r"^summary: (\d+)", open(out).read(), re.M).group(1))
            instructions[("learn_" + what, mode)] = total / (256 * batches)

peer = json.loads(run(["/usr/bin/python3", os.path.join(ROOT, "benchmarks", "peers", "sklearn_decision.py"), "1000", "50",
                       "--json"], stdout=subprocess.PIPE, text=True).stdout)
load_after = load_average()

results = {}  # name -> entry (the median when repeated)
for b in data["benchmarks"]:
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
        continue
    results[b.get("run_name", b["name"])] = b


def micros(entry):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[entry["time_unit"]]
    return entry["cpu_time"] * scale


def t(name, n, k):
    e = results.get(f"{name}/{n}/{k}")
    return micros(e) if e else None


def fmt(us):
    if us is None:
        return "—"
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    return f"{us:.1f} µs" if us < 100 else f"{us:.0f} µs"


def ratio(a, b):
    if not (a and b):
        return "—"
    return f"{a / b:,.0f}×" if a / b >= 10 else f"{a / b:.2f}×"


CASES = [("own", "own binnings: every model its own cut points and symbol groups", 50),
         ("pega_jittered", "Pega's bigmodel, every replica its own cut points", 43),
         ("pega", "Pega's bigmodel, replicas keep their source's binnings", 43),
         ("rotated", "rotated: 97 cut-point shifts, 12 symbol rotations (once called \"distinct\")", 50),
         ("shared", "shared binnings: every model bins alike", 50)]

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
             f"{compiler}, `-O3 -DNDEBUG` (CMake Release). Load average (1, 5, 15 min) before the run {load_before}, after "
             f"the benchmarks {load_after_benchmarks}, at the end {load_after} — the machine is shared: read the ratios, "
             f"measured in the same run, before the absolute times. CPU time, median of 3 repetitions"
             f"{' (quick run: one short repetition)' if quick else ''}. Reproduce with `/usr/bin/python3 benchmarks/run.py`.")
lines.append("")


def rate_of(name):
    e = results.get(name)
    return e["items_per_second"] if e and "items_per_second" in e else None


def verdict(value, target, lower_is_better=True):
    if value is None:
        return "—"
    met = value <= target if lower_is_better else value >= target
    if met:
        return "met"
    if lower_is_better:
        if value / target < 1.1:
            return f"missed by {value / target - 1:.0%}"
        return f"missed by {value / target:,.0f}×" if value / target >= 10 else f"missed by {value / target:.1f}×"
    return f"missed ({value / target:.0%} of it)"


lines.append("### The engine against issue 12's targets")
lines.append("")
lines.append("One decision, raw profile values in, ranked top 5 out, 1,000 offers. **engine** is `nba::engine::decide` "
             "(the plan's `score_all`, then arbitrate()'s stages on the estimates by catalogue position, capture for "
             "learning on); **by position** the same two steps called by hand; **plan + arbitrate()** `arbitrate()` with "
             "the plan's scorer (each offer found by its keys); **model set** `arbitrate()` with the model set as the "
             "scorer (each model finds its offer by the set's key index and bins the profile itself).")
lines.append("")
lines.append("| models, N = 1,000 | engine | by position | plan + arbitrate() | model set | hand-written loop | limit kernel | "
             "engine ÷ hand (≤ 1.0×) | engine ÷ kernel (≤ 2×) | model set ÷ engine (≤ 3×) |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for case, label, k in [("own", "own binnings, K = 50", 50), ("pega_jittered", "Pega's bigmodel, own cut points, K = 43", 43)]:
    eng, pos, plan_e, ms, h, kern = (t(f"decide_engine_{case}", 1000, k), t(f"decide_by_position_{case}", 1000, k),
                                     t(f"decide_plan_{case}", 1000, k), t(f"decide_model_set_{case}", 1000, k),
                                     t(f"hand_loop_{case}", 1000, k), t(f"limit_kernel_{case}", 1000, k))
    lines.append(f"| {label} | {fmt(eng)} | {fmt(pos)} | {fmt(plan_e)} | {fmt(ms)} | {fmt(h)} | {fmt(kern)} | "
                 f"{ratio(eng, h)} ({verdict(eng / h if eng and h else None, 1.0)}) | "
                 f"{ratio(eng, kern)} ({verdict(eng / kern if eng and kern else None, 2.0)}) | "
                 f"{ratio(ms, eng)} ({verdict(ms / eng if ms and eng else None, 3.0)}) |")
lines.append("")
e1, e10, m1, m10 = (t("decide_engine_own", 1000, 50), t("decide_engine_own", 10000, 50), t("decide_model_set_own", 1000, 50),
                    t("decide_model_set_own", 10000, 50))
if e1 and e10 and m1 and m10:
    lines.append(f"Linear in offers (own binnings, K = 50): from 1,000 to 10,000 offers the engine goes from {fmt(e1)} to "
                 f"{fmt(e10)} ({e10 / e1:.1f}×), `arbitrate()` with a model set from {fmt(m1)} to {fmt(m10)} ({m10 / m1:.1f}×).")
    lines.append("")
pub_own, pub_pega = t("engine_publish_own", 1000, 50), t("engine_publish_pega_jittered", 1000, 43)
lines.append("| engine publish: 1,000 responses touching 10 of 1,000 models | time | target ≤ 1 ms |")
lines.append("|---|---:|---:|")
lines.append(f"| own binnings, K = 50 | {fmt(pub_own)} | {verdict(pub_own, 1000.0)} |")
lines.append(f"| Pega's bigmodel, own cut points, K = 43 | {fmt(pub_pega)} | {verdict(pub_pega, 1000.0)} |")
lines.append("")
if ("publish", "own") in instructions:
    lines.append("Instructions per publish (callgrind, `nba_instructions publish`): own binnings "
                 f"{instructions[('publish', 'own')] / 1e6:.2f} M, Pega's models {instructions[('publish', 'pega_jittered')] / 1e6:.2f} M.")
    lines.append("")
lines.append("| learning from profiles, K = 50, one core | responses per second | target |")
lines.append("|---|---:|---:|")
for name, label, target in [("learn_batch_fixed_bins/50", "fixed-bins model, `learn_batch` of 256", 2e6),
                            ("learn_bins_batch/50", "fixed-bins model, from the bins a decision computed (`learn_bins_batch`)", 2e6),
                            ("learn_batch_adaptive/50", "adaptive model, `learn_batch` of 256 (re-binning included)", 1e6)]:
    r = rate_of(name)
    lines.append(f"| {label} | {r / 1e6:.2f} M/s | ≥ {target / 1e6:.0f} M/s: {verdict(r, target, lower_is_better=False)} |"
                 if r else f"| {label} | — | ≥ {target / 1e6:.0f} M/s |")
lines.append("")
wp = results.get("engine_decide_while_publishing/3000/iterations:1/real_time") or next(
    (v for n_, v in results.items() if n_.startswith("engine_decide_while_publishing")), None)
if wp:
    lines.append(f"Decisions while publishing (`engine_decide_while_publishing`): two threads decide 3,000 times each "
                 f"(1,000 offers × 50 predictors, own binnings) while a third publishes every 10 ms what they learned "
                 f"({wp['publishes']:.0f} publishes, {wp['responses_published']:,.0f} responses): p50 "
                 f"{fmt(wp['p50_us'])}, p99 {fmt(wp['p99_us'])} of wall time per decision, three threads on "
                 f"{ctx['num_cpus']} cores (load average {load_after_benchmarks} after the benchmarks).")
    lines.append("")
lines.append("### One decision over N offers, K predictors: the user's case")
lines.append("")
lines.append("Raw profile values in. **nba** is the compiled plan scoring every offer into a workspace (`score_all`); "
             "**end to end** is `arbitrate()` with the plan's scorer (score_all, then each offer found by its keys, "
             "the pipeline's stages, the top 5 selected); the **hand-written loop** and the **limit kernel** are "
             "described under *What is measured*.")
lines.append("")
lines.append("| models | N | K | nba | end to end | hand-written loop | limit kernel | nba ÷ hand | nba ÷ kernel | end to end ÷ hand | end to end ÷ kernel |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for case, label, k in CASES:
    for n in (1000, 10000):
        s, e, h, kern = (t(f"plan_score_all_{case}", n, k), t(f"decide_plan_{case}", n, k), t(f"hand_loop_{case}", n, k),
                         t(f"limit_kernel_{case}", n, k))
        lines.append(f"| {label if n == 1000 else ''} | {n:,} | {k} | {fmt(s)} | {fmt(e)} | {fmt(h)} | {fmt(kern)} | "
                     f"{ratio(s, h)} | {ratio(s, kern)} | {ratio(e, h)} | {ratio(e, kern)} |")
lines.append("")
pipe, look = t("pipeline_only", 1000, 50), t("offer_lookup", 1000, 50)
e_own = t("decide_plan_own", 1000, 50)
lines.append(f"Of the end-to-end time at N = 1,000: the pipeline's own stages (`arbitrate()` with a scorer that costs "
             f"nothing) take {fmt(pipe)} ({pipe:.0f} ns per offer)" if pipe else "")
if pipe and look and e_own:
    lines[-1] += (f", and finding each offer's position by its keys {fmt(look)} ({look:.0f} ns per offer): together "
                  f"{(pipe + look) / e_own:.0%} of the own-binnings decision.")
lines.append("")
if instructions:
    lines.append("Instructions per decision at N = 1,000 (callgrind, `nba_instructions`; the same on any run):")
    lines.append("")
    lines.append("| models | nba | end to end | by position (the engine's path) | hand-written loop | limit kernel | pipeline alone |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for case, k in [("own", 50), ("pega_jittered", 43)]:
        row = [instructions.get((w, case)) for w in ["score_all", "decide", "decide_by_position", "hand_loop", "limit_kernel",
                                                     "pipeline"]]
        lines.append(f"| {case}, K = {k} | " + " | ".join(f"{x / 1000:,.0f} k" if x else "—" for x in row) + " |")
    lines.append("")
lines.append("### The whole grid")
lines.append("")
lines.append("| N | K | limit kernel | hand-written loop | nba, shared | nba, rotated | nba, own | engine, own | end to end, own | model set, no plan | naive C++ |")
lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in (10, 100, 1000, 10000):
    for k in (10, 50, 200):
        lines.append(f"| {n:,} | {k} | {fmt(t('limit_kernel_own', n, k))} | {fmt(t('hand_loop_own', n, k))} | "
                     f"{fmt(t('plan_score_all_shared', n, k))} | {fmt(t('plan_score_all_rotated', n, k))} | "
                     f"{fmt(t('plan_score_all_own', n, k))} | {fmt(t('decide_engine_own', n, k))} | {fmt(t('decide_plan_own', n, k))} | "
                     f"{fmt(t('decide_model_set_own', n, k))} | {fmt(t('naive', n, k))} |")
lines.append("")
lines.append("The limit kernel and the hand-written loop for own binnings (for the other kinds they cost the same to "
             "within noise: they read one term per model and predictor whatever the binnings); the model set and the "
             "naive peer on shared binnings; the model set on own binnings.")
lines.append("")
lines.append("| Pega's bigmodel, 43 predictors | N | nba | end to end | hand-written loop | limit kernel |")
lines.append("|---|---:|---:|---:|---:|---:|")
for case, label in [("pega", "source binnings"), ("pega_jittered", "own cut points")]:
    for n in (10, 100, 1000, 10000):
        lines.append(f"| {label if n == 10 else ''} | {n:,} | {fmt(t(f'plan_score_all_{case}', n, 43))} | "
                     f"{fmt(t(f'decide_plan_{case}', n, 43))} | {fmt(t(f'hand_loop_{case}', n, 43))} | "
                     f"{fmt(t(f'limit_kernel_{case}', n, 43))} |")
lines.append("")
nba_rot = t("decide_plan_rotated", 1000, 50)
if nba_rot:
    lines.append(f"The scikit-learn peer, N = 1,000, K = 50 (`benchmarks/peers/sklearn_decision.py`, binned as the rotated "
                 f"case): one `CategoricalNB.predict_proba` per offer {fmt(peer['per_model_us'])} per decision — "
                 f"{peer['per_model_us'] / nba_rot:,.0f}× nba's {fmt(nba_rot)} end to end; the same arithmetic "
                 f"vectorised over all offers in NumPy {fmt(peer['vectorised_us'])} — {peer['vectorised_us'] / nba_rot:.0f}×.")
    lines.append("")
lines.append("### After learning: updating the plan")
lines.append("")
lines.append("A publish that touched 10 of N models, each of which learned 100 responses: `updated()` alone (the 10 "
             "models compiled alone, every other block shared), the whole publish (a copy of the model set, the learning "
             "and `updated()`) learning the profiles (`learn_batch`) or the bins the decisions computed "
             "(`plan.bins_for` → `learn_bins_batch`), and `compacted()` (rebuilding every chunk that holds one of the 10: "
             "what the 10 cost once they are folded back into their chunks).")
lines.append("")
lines.append("| models | N | updated() | publish, from profiles | publish, from bins | compacted() | nba, SSE2 kernel | nba, AVX2 kernel |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
for case, k in [("own", 50), ("pega_jittered", 43)]:
    for n in (1000, 10000):
        lines.append(f"| {case if n == 1000 else ''} | {n:,} | {fmt(t(f'plan_updated_{case}', n, k))} | "
                     f"{fmt(t(f'publish_10_{case}', n, k))} | {fmt(t(f'publish_10_bins_{case}', n, k))} | "
                     f"{fmt(t(f'plan_compacted_{case}', n, k))} | "
                     f"{fmt(t(f'plan_score_all_portable_{case}', n, k))} | {fmt(t(f'plan_score_all_{case}', n, k))} |")
lines.append("")
lines.append("### Memory")
lines.append("")
lines.append("| K predictors | per model | plan per offer, shared | plan per offer, rotated | plan per offer, own |")
lines.append("|---:|---:|---:|---:|---:|")
for k in (10, 50, 200):
    e = {c: results.get(f"plan_score_all_{c}/1000/{k}") for c in ("shared", "rotated", "own")}
    if all(e.values()):
        lines.append(f"| {k} | {e['own']['model_bytes'] / 1024:.1f} KiB | {e['shared']['plan_bytes_per_offer'] / 1024:.1f} KiB | "
                     f"{e['rotated']['plan_bytes_per_offer'] / 1024:.1f} KiB | {e['own']['plan_bytes_per_offer'] / 1024:.1f} KiB |")
p = {c: results.get(f"plan_score_all_{c}/1000/43") for c in ("pega", "pega_jittered")}
if all(p.values()):
    lines.append(f"| 43 (Pega) | {p['pega']['model_bytes'] / 1024:.1f} KiB | — | {p['pega']['plan_bytes_per_offer'] / 1024:.1f} KiB "
                 f"(source binnings) | {p['pega_jittered']['plan_bytes_per_offer'] / 1024:.1f} KiB |")
lines.append("")
lines.append("Heap bytes live after building 1,000 fixed-bins models and the plan for 1,000 offers, counted by a replaced "
             "`operator new` (glibc's usable block size).")
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
                    ("hand_learn_adaptive", "the same batches by the loop written by hand, adaptive (no re-binning)"),
                    ("hand_learn_fixed_bins", "the same batches by the loop written by hand, fixed-bins"),
                    ("learn_batch_host_adaptive", "learn_batch() of 256 of a host's own record type, adaptive model"),
                    ("learn_batch_host_fixed_bins", "learn_batch() of 256 of a host's own record type, fixed-bins model"),
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
if ("learn_batch", "fixed_bins") in instructions:
    lines.append("Instructions per learned response, K = 50, batches of 256 (callgrind, `nba_learn_instructions`): "
                 + "; ".join(f"{mode.replace('_', '-')} nba {instructions[('learn_batch', mode)] / 1e3:,.1f} k, by hand "
                             f"{instructions[('learn_hand_batch', mode)] / 1e3:,.1f} k" for mode in ["fixed_bins", "adaptive"]) + ".")
    lines.append("")

# the plot: time per decision against N, one panel per K, own binnings
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=True)
for ax, k in zip(axes, (10, 50, 200)):
    ns = [10, 100, 1000, 10000]
    for name, label, style in [("limit_kernel_own", "limit kernel", "k--"),
                               ("hand_loop_own", "hand-written loop", "x-."),
                               ("plan_score_all_own", "nba, own binnings", "o-"),
                               ("decide_engine_own", "nba::engine decide", "D-"),
                               ("decide_plan_own", "nba end to end (arbitrate)", "s-"),
                               ("plan_score_all_shared", "nba, shared binnings", "o:"),
                               ("decide_model_set_own", "model set, no plan", "^:")]:
        xs = [n for n in ns if t(name, n, k)]
        ax.loglog(xs, [t(name, n, k) for n in xs], style, label=label)
    ax.set_title(f"K = {k} predictors")
    ax.set_xlabel("offers N")
    ax.grid(True, which="both", alpha=0.3)
axes[0].set_ylabel("µs per decision (CPU time)")
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
