#!/usr/bin/python3
"""Summarises C1 runs side by side: odegpu's history.csv files and FFJORD's logs.

For each run: the median seconds per iteration (all iterations, and the last 100), the mean forward and backward
evaluations per iteration, and the test NLL at every measured iteration.

Usage: python3 bench/c1_summary.py odegpu:LABEL:DIR/history.csv ... ffjord:LABEL:DIR/logs ...
"""
import csv
import re
import statistics
import sys

ITER = re.compile(r"Iter (\d+) \| Time ([\d.]+)\([\d.]+\) \| Loss [-\d.]+\([-\d.]+\) \| NFE Forward (\d+)\([\d.]+\) \| NFE Backward (\d+)\(")
TEST = re.compile(r"\[TEST\] Iter (\d+) \| Test Loss ([-\d.]+)")


def odegpu(path):
    rows = list(csv.DictReader(open(path)))
    its = [(int(r["iteration"]), float(r["seconds"]), float(r["nfe_forward"]), float(r["nfe_backward"])) for r in rows]
    tests = {int(r["iteration"]): float(r["test_nll"]) for r in rows if r["test_nll"]}
    return its, tests


def ffjord(path):
    its, tests = [], {}
    for line in open(path):
        if m := ITER.search(line):
            its.append((int(m[1]), float(m[2]), float(m[3]), float(m[4])))
        elif m := TEST.search(line):
            tests[int(m[1])] = float(m[2])
    return its, tests


for spec in sys.argv[1:]:
    kind, label, path = spec.split(":", 2)
    its, tests = (odegpu if kind == "odegpu" else ffjord)(path)
    last = its[-100:]
    print(f"{kind} {label}: {len(its)} iterations, median {statistics.median(i[1] for i in its):.4f} s/it "
          f"(last 100: {statistics.median(i[1] for i in last):.4f}), NFE forward {statistics.mean(i[2] for i in its):.1f} "
          f"backward {statistics.mean(i[3] for i in its):.1f} (last 100: {statistics.mean(i[2] for i in last):.1f} + "
          f"{statistics.mean(i[3] for i in last):.1f}), total {sum(i[1] for i in its):.1f} s")
    print("  test NLL: " + ", ".join(f"{k}: {v:.3f}" for k, v in sorted(tests.items())))
