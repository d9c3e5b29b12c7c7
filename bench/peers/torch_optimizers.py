#!/usr/bin/python3
"""Reference trajectories of PyTorch's optimizers for OptimizerTests (issue 9): float64 parameters [0.5, -1.5, 2.0],
gradient at step t (t = 1, 2, ...) g_t = [sin(t + p0), cos(2 t) + p1, 0.1 t - 0.3 p2] (it depends on the parameters,
as a real one does), six steps, optionally with a learning-rate schedule stepped after each step and the gradient
norm clipped to 0.5 before it. Prints the configuration and the parameters after the last step, 17 digits.
Usage: /usr/bin/python3 torch_optimizers.py"""
import math
import os
import torch

torch.set_num_threads(os.cpu_count())

configs = [
    ("sgd", dict(lr=0.1), None, False),
    ("sgd", dict(lr=0.1, momentum=0.9), None, False),
    ("sgd", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01), None, False),
    ("sgd", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), None, False),
    ("rmsprop", dict(lr=0.01), None, False),
    ("rmsprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1), None, False),
    ("adam", dict(lr=0.1), None, False),
    ("adam", dict(lr=0.1, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True), None, False),
    ("adamw", dict(lr=0.1), None, False),
    ("adamw", dict(lr=0.1, weight_decay=0.5, amsgrad=True), None, False),
    ("adam", dict(lr=0.1), ("step", dict(step_size=2, gamma=0.5)), False),
    ("sgd", dict(lr=0.1, momentum=0.9), ("cosine", dict(T_max=4, eta_min=0.01)), True),
]
for name, options, schedule, clip in configs:
    p = torch.nn.Parameter(torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64))
    optimizer = {"sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[name]([p], **options)
    scheduler = None
    if schedule is not None:
        kind, args = schedule
        scheduler = (torch.optim.lr_scheduler.StepLR if kind == "step" else torch.optim.lr_scheduler.CosineAnnealingLR)(optimizer, **args)
    for t in range(1, 7):
        with torch.no_grad():
            p.grad = torch.tensor([math.sin(t + p[0].item()), math.cos(2 * t) + p[1].item(), 0.1 * t - 0.3 * p[2].item()], dtype=torch.float64)
        if clip:
            torch.nn.utils.clip_grad_norm_([p], 0.5)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    print(name, options, schedule, "clip" if clip else "", [f"{x:.17g}" for x in p.detach().tolist()])
