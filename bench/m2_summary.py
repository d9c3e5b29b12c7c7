"""Summarizes bench/m2.sh's runs as the paper's Table 1, odegpu beside torchdiffeq.

usage: python3 bench/m2_summary.py <out dir of bench/m2.sh>
"""
import csv, json, os, sys

out = sys.argv[1]
print("| model | side | test error | parameters | peak memory (MB) | s per epoch | s per iteration (median) | ratio | nfe fwd + bwd (last epoch) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for model in ("mlp", "resnet", "rknet", "odenet"):
    ours_path, theirs_path = f"{out}/odegpu-{model}/metrics.json", f"{out}/torch-{model}.json"
    if not (os.path.exists(ours_path) and os.path.exists(theirs_path)):
        continue
    ours, theirs = json.load(open(ours_path)), json.load(open(theirs_path))
    ratio = theirs["seconds_per_iteration"] / ours["seconds_per_iteration"]
    # torch's peak: device memory when it ran on a GPU, else the process's RSS
    for side, m, memory, r in (("torchdiffeq", theirs, theirs.get("peak_device_bytes") or theirs["peak_rss_bytes"], "1"), ("odegpu", ours, ours["peak_device_bytes"], f"{ratio:.2f}x")):
        print(f"| {model} | {side} | {m['test_error']:.4f} | {m['parameters']:,} | {memory / 1e6:.0f} | {m['seconds_per_epoch']:.1f} | "
              f"{m['seconds_per_iteration']:.3f} | {r} | {m['nfe_forward']:.1f} + {m['nfe_backward']:.1f} |")
print()
print("Per epoch (test error, odegpu / torchdiffeq; the ODE block's forward + backward evaluations):")
for model in ("mlp", "resnet", "rknet", "odenet"):
    ours_path, theirs_path = f"{out}/odegpu-{model}/history.csv", f"{out}/torch-{model}.json"
    if not (os.path.exists(ours_path) and os.path.exists(theirs_path)):
        continue
    ours, theirs = list(csv.DictReader(open(ours_path))), json.load(open(theirs_path))["history"]
    cells = [f"{float(o['test_error']):.3f} / {t['test_error']:.3f}" + (f" ({float(o['nfe_forward']):.0f}+{float(o['nfe_backward']):.0f} / {t['nfe_forward']:.0f}+{t['nfe_backward']:.0f})"
             if model in ("odenet", "rknet") else "") for o, t in zip(ours, theirs)]
    print(f"- {model}: " + ", ".join(cells))
