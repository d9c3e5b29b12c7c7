#!/usr/bin/python3
"""N2 (shared/BENCHMARKS.md) with torchdiffeq on this CPU, beside `odegpu bench neural`: MLP 4-32-32-4 softplus,
float32, t in [0, 10], rtol = atol = 1e-6, loss = sum of squares of y(10). Gradient methods: none (forward under
no_grad), discrete (backprop through odeint's steps) and continuous (odeint_adjoint, with the seminorm on and off).
Prints one JSON line per batch, method, gradient method and norm: the best of --repeats runs after one warm-up.
Usage: PYTHONPATH=<torchdiffeq export> /usr/bin/python3 torchdiffeq_n2.py --batch 64,65536 [--repeats 5]"""
import argparse, json, os, time
import torch
from torchdiffeq import odeint, odeint_adjoint

p = argparse.ArgumentParser()
p.add_argument("--batch", default="64,65536")
p.add_argument("--methods", default="dopri5")
p.add_argument("--adjoints", default="none,discrete,continuous")
p.add_argument("--repeats", type=int, default=5)
p.add_argument("--threads", type=int, default=os.cpu_count())
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class F(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(4, 32), torch.nn.Softplus(), torch.nn.Linear(32, 32),
                                       torch.nn.Softplus(), torch.nn.Linear(32, 4))
        self.nfe = 0

    def forward(self, t, y):
        self.nfe += 1
        return self.net(y)


def run(f, y0, t, method, adjoint, seminorm):
    f.nfe = 0
    if adjoint == "none":
        with torch.no_grad():
            odeint(f, y0, t, rtol=1e-6, atol=1e-6, method=method)
        return f.nfe, 0
    if adjoint == "discrete":
        y = odeint(f, y0, t, rtol=1e-6, atol=1e-6, method=method)
    else:
        options = dict(norm="seminorm") if seminorm else {}
        y = odeint_adjoint(f, y0, t, rtol=1e-6, atol=1e-6, method=method, adjoint_options=options)
    forward = f.nfe
    (y[-1] ** 2).sum().backward()
    f.zero_grad()
    return forward, f.nfe - forward


f = F()
t = torch.tensor([0.0, 10.0])
for n in map(int, a.batch.split(",")):
    y0 = torch.randn(n, 4)
    for method in a.methods.split(","):
        for adjoint in a.adjoints.split(","):
            for seminorm in ([False, True] if adjoint == "continuous" else [False]):
                run(f, y0, t, method, adjoint, seminorm)
                best, nfe = 1e9, (0, 0)
                for _ in range(a.repeats):
                    start = time.perf_counter()
                    counts = run(f, y0, t, method, adjoint, seminorm)
                    elapsed = time.perf_counter() - start
                    if elapsed < best:
                        best, nfe = elapsed, counts
                print(json.dumps(dict(peer="torchdiffeq", threads=a.threads, batch=n, method=method, adjoint=adjoint,
                                      seminorm=seminorm, seconds=best, nfe_forward=nfe[0], nfe_backward=nfe[1])),
                      flush=True)
