"""L1(a) (BENCHMARKS.md) with torchdiffeq on the GPU: the whole ensemble as one [N, 3] batch, fixed dt = 0.001 over
[0, 1], float32, methods rk4 and dopri5-as-fixed is not offered, so rk4 only (the anchor table's 'PyTorch rk4').

  python3 bench/peers/torchdiffeq_l1.py --sizes 131072,1048576,8388608 --out torchdiffeq.json
"""
import argparse, json, time

import torch
from torchdiffeq import odeint


class Lorenz(torch.nn.Module):
    def __init__(self, r):
        super().__init__()
        self.r = r

    def forward(self, t, u):
        x, y, z = u[:, 0], u[:, 1], u[:, 2]
        return torch.stack([10.0 * (y - x), x * (self.r - z) - y, x * y - (8.0 / 3.0) * z], dim=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="131072,1048576,8388608")
    parser.add_argument("--out", default="torchdiffeq_l1.json")
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    t = torch.tensor([0.0, 1.0], device=device)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        r = torch.linspace(0.0, 21.0, n, device=device)
        u0 = torch.zeros(n, 3, device=device)
        u0[:, 0] = 1.0
        f = Lorenz(r)
        with torch.no_grad():
            odeint(f, u0, t, method="rk4", options=dict(step_size=0.001))
            torch.cuda.synchronize() if device.type == "cuda" else None
            best = float("inf")
            for _ in range(2):
                start = time.perf_counter()
                ys = odeint(f, u0, t, method="rk4", options=dict(step_size=0.001))
                torch.cuda.synchronize() if device.type == "cuda" else None
                best = min(best, time.perf_counter() - start)
        rows.append(dict(peer="torchdiffeq", workload="L1a", method="rk4", n=n, seconds=best,
                         trajectory_steps_per_second=n * 1000 / best, x_last=float(ys[-1, -1, 0])))
        print(json.dumps(rows[-1]), flush=True)
    with open(args.out, "w") as f:
        json.dump(dict(device=str(device), torch=torch.__version__, rows=rows), f, indent=2)


if __name__ == "__main__":
    main()
