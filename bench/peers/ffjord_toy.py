#!/usr/bin/python3
"""C1's peer: FFJORD's train_toy.py, run unmodified from an export of its repository, with torch on every core.

The launcher only sets torch's threads (Debian's torch starts with one) and turns FFJORD's closing trajectory video
into nothing (it needs ffmpeg, and is not part of the benchmark); every other argument goes to train_toy.py.

Usage: FFJORD_DIR=<ffjord export> PYTHONPATH=<torchdiffeq export> /usr/bin/python3 bench/peers/ffjord_toy.py \
         --data 8gaussians --niters 1400 --viz_freq 100000 --save DIR
"""
import os
import runpy
import sys

import torch

root = os.environ["FFJORD_DIR"]
torch.set_num_threads(os.cpu_count())
sys.path.insert(0, root)

import diagnostics.viz_toy  # noqa: E402  (FFJORD's module, patched in memory only)

diagnostics.viz_toy.save_trajectory = lambda *args, **kwargs: None
diagnostics.viz_toy.trajectory_to_video = lambda *args, **kwargs: None

script = os.path.join(root, "train_toy.py")
sys.argv = [script] + sys.argv[1:]
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {' '.join(sys.argv)}", flush=True)
runpy.run_path(script, run_name="__main__")
