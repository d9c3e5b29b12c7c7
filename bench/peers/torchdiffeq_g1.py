"""G1 (BENCHMARKS.md) with torchdiffeq: the gradient of L = sum over trajectories of ||y(1)||^2 with respect to rho on
the Lorenz ensemble (sigma = 10, beta = 8/3, rho = linspace(0, 21, N), u0 = (1, 0, 0), t in [0, 1]), float64, dopri5
at rtol in {1e-3, 1e-6, 1e-8} with atol = 1e-3 rtol, the whole ensemble as one [N, 3] batch.

  PYTHONPATH=<torchdiffeq export> /usr/bin/python3 bench/peers/torchdiffeq_g1.py --sizes 2048,32768 --out g1.json

Methods: "adjoint" is odeint_adjoint (the continuous adjoint, torchdiffeq's default norm over all adjoint states),
"backprop" is odeint with autograd through the solver's operations (the discrete adjoint). The gradient error is
measured against odeint backprop at rtol = 1e-12, atol = 1e-15 (relative max-norm over rho). Every core is used:
Debian's python3-torch starts with one intra-op thread, so the script calls torch.set_num_threads(os.cpu_count()).
Each configuration runs once to warm up, then --repeats times; rows give the best and median seconds and the
number of right-hand-side evaluations (forward and backward, counted in the module).
"""
import argparse, json, os, statistics, time

import torch
from torchdiffeq import odeint, odeint_adjoint


class Lorenz(torch.nn.Module):
    def __init__(self, rho):
        super().__init__()
        self.rho = torch.nn.Parameter(rho)
        self.nfe = 0

    def forward(self, t, u):
        self.nfe += 1
        x, y, z = u[:, 0], u[:, 1], u[:, 2]
        return torch.stack([10.0 * (y - x), x * (self.rho - z) - y, x * y - (8.0 / 3.0) * z], dim=1)


def gradient(n, method, rtol, atol):
    f = Lorenz(torch.linspace(0.0, 21.0, n, dtype=torch.float64))
    u0 = torch.zeros(n, 3, dtype=torch.float64)
    u0[:, 0] = 1.0
    t = torch.tensor([0.0, 1.0], dtype=torch.float64)
    solve = odeint_adjoint if method == "adjoint" else odeint
    ys = solve(f, u0, t, method="dopri5", rtol=rtol, atol=atol)
    forward = f.nfe
    loss = (ys[-1] ** 2).sum()
    loss.backward()
    return f.rho.grad.detach().clone(), forward, f.nfe - forward


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2048,32768")
    parser.add_argument("--rtols", default="1e-3,1e-6,1e-8")
    parser.add_argument("--methods", default="adjoint,backprop")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--out", default="torchdiffeq_g1.json")
    parser.add_argument("--no-reference", action="store_true", help="skip the rtol 1e-12 reference (its error is then NaN): too large a batch for memory")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(json.dumps(dict(torch=torch.__version__, cpu_count=os.cpu_count(), intra_op_threads=torch.get_num_threads())), flush=True)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        reference = None if args.no_reference else gradient(n, "backprop", 1e-12, 1e-15)[0]
        for method in args.methods.split(","):
            for rtol in (float(r) for r in args.rtols.split(",")):
                gradient(n, method, rtol, 1e-3 * rtol)
                times = []
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    grad, nfe_forward, nfe_backward = gradient(n, method, rtol, 1e-3 * rtol)
                    times.append(time.perf_counter() - start)
                error = float("nan") if reference is None else float(((grad - reference).abs().max() / reference.abs().max()))
                rows.append(dict(peer="torchdiffeq", method=method, n=n, rtol=rtol, threads=torch.get_num_threads(),
                                 best_seconds=min(times), median_seconds=statistics.median(times),
                                 nfe_forward=nfe_forward, nfe_backward=nfe_backward, gradient_error=error,
                                 d_rho_last=float(grad[-1])))
                print(json.dumps(rows[-1]), flush=True)
    with open(args.out, "w") as fh:
        json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), rows=rows), fh, indent=2)


if __name__ == "__main__":
    main()
