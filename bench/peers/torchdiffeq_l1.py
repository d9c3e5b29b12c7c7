"""L1 (BENCHMARKS.md) with torchdiffeq: Lorenz, r = linspace(0, 21, N), u0 = (1, 0, 0), t in [0, 1], final state
only, the whole ensemble as one [N, 3] batch (one step size for the whole batch: torchdiffeq has no per-row steps).

  python3 bench/peers/torchdiffeq_l1.py --sizes 131072,1048576,8388608 --out torchdiffeq.json

Workloads (--workloads, comma-separated):
  l1a      float32, rk4 (torchdiffeq's 3/8-rule variant) at fixed dt = 0.001 (1000 steps, 4 evaluations a step)
  dopri5   float64, adaptive dopri5 at rtol = atol = 1e-6 (the error norm is torchdiffeq's default RMS over the batch)

On the CPU the script uses every core: Debian's python3-torch starts with ONE intra-op thread, so it calls
torch.set_num_threads(os.cpu_count()) (or --threads) and prints the thread count it used. Each size is run once
to warm up, then --repeats times (default 3); the rows give the best and the median, imports and warm-up excluded,
and the number of right-hand-side evaluations of the batch (nfe).
"""
import argparse, json, os, statistics, time

import torch
from torchdiffeq import odeint


class Lorenz(torch.nn.Module):
    def __init__(self, r):
        super().__init__()
        self.r = r
        self.nfe = 0

    def forward(self, t, u):
        self.nfe += 1
        x, y, z = u[:, 0], u[:, 1], u[:, 2]
        return torch.stack([10.0 * (y - x), x * (self.r - z) - y, x * y - (8.0 / 3.0) * z], dim=1)


WORKLOADS = {
    "l1a": dict(dtype=torch.float32, kwargs=dict(method="rk4", options=dict(step_size=0.001))),
    "dopri5": dict(dtype=torch.float64, kwargs=dict(method="dopri5", rtol=1e-6, atol=1e-6)),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="131072,1048576,8388608")
    parser.add_argument("--workloads", default="l1a")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--out", default="torchdiffeq_l1.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    print(json.dumps(dict(torch=torch.__version__, device=str(device), cpu_count=os.cpu_count(),
                          intra_op_threads=torch.get_num_threads())), flush=True)
    rows = []
    for workload in args.workloads.split(","):
        spec = WORKLOADS[workload]
        dtype = spec["dtype"]
        for n in (int(s) for s in args.sizes.split(",")):
            t = torch.tensor([0.0, 1.0], device=device, dtype=dtype)
            r = torch.linspace(0.0, 21.0, n, device=device, dtype=dtype)
            u0 = torch.zeros(n, 3, device=device, dtype=dtype)
            u0[:, 0] = 1.0
            f = Lorenz(r)
            times = []
            with torch.no_grad():
                odeint(f, u0, t, **spec["kwargs"])
                sync()
                for _ in range(args.repeats):
                    f.nfe = 0
                    start = time.perf_counter()
                    ys = odeint(f, u0, t, **spec["kwargs"])
                    sync()
                    times.append(time.perf_counter() - start)
            rows.append(dict(peer="torchdiffeq", workload=workload, method=spec["kwargs"]["method"],
                             dtype=str(dtype).replace("torch.", ""), n=n, threads=torch.get_num_threads(),
                             best_seconds=min(times), median_seconds=statistics.median(times),
                             seconds=[round(s, 4) for s in times], nfe=f.nfe,
                             trajectory_evaluations=n * f.nfe, x_last=float(ys[-1, -1, 0])))
            print(json.dumps(rows[-1]), flush=True)
    with open(args.out, "w") as fh:
        json.dump(dict(device=str(device), torch=torch.__version__, threads=torch.get_num_threads(), rows=rows),
                  fh, indent=2)


if __name__ == "__main__":
    main()
