"""L1 (BENCHMARKS.md) with JAX diffrax: Lorenz, r = linspace(0, 21, N), u0 = (1, 0, 0), t in [0, 1], final state only.

  python3 bench/peers/diffrax_l1.py --sizes 131072,1048576,8388608 --out diffrax.json

(a) float32 Tsit5 at fixed dt = 0.001; (b) float32 Tsit5 adaptive at rtol = atol = 1e-8, dt0 = 0.001.
Times are the best of three runs after a compiling warm-up, synchronised with block_until_ready.
"""
import argparse, json, time

import jax
import jax.numpy as jnp
import diffrax


def lorenz(t, u, r):
    x, y, z = u[0], u[1], u[2]
    return jnp.stack([10.0 * (y - x), x * (r - z) - y, x * y - (8.0 / 3.0) * z])


def solver(adaptive):
    controller = diffrax.PIDController(rtol=1e-8, atol=1e-8) if adaptive else diffrax.ConstantStepSize()

    def solve(r):
        sol = diffrax.diffeqsolve(diffrax.ODETerm(lorenz), diffrax.Tsit5(), t0=0.0, t1=1.0, dt0=0.001,
                                  y0=jnp.array([1.0, 0.0, 0.0], dtype=jnp.float32), args=r,
                                  saveat=diffrax.SaveAt(t1=True), stepsize_controller=controller, max_steps=100_000)
        return sol.ys[-1], sol.stats["num_steps"]

    return jax.jit(jax.vmap(solve))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="131072,1048576,8388608")
    parser.add_argument("--out", default="diffrax_l1.json")
    args = parser.parse_args()
    rows = []
    for workload, adaptive in (("L1a", False), ("L1b", True)):
        f = solver(adaptive)
        for n in (int(s) for s in args.sizes.split(",")):
            r = jnp.linspace(0.0, 21.0, n, dtype=jnp.float32)
            ys, steps = f(r)
            ys.block_until_ready()
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                ys, steps = f(r)
                ys.block_until_ready()
                best = min(best, time.perf_counter() - start)
            total = float(jnp.sum(steps))
            rows.append(dict(peer="diffrax", workload=workload, n=n, seconds=best, trajectory_steps_per_second=total / best,
                             x_last=float(ys[-1, 0])))
            print(json.dumps(rows[-1]), flush=True)
    with open(args.out, "w") as f:
        json.dump(dict(device=str(jax.devices()[0]), jax=jax.__version__, rows=rows), f, indent=2)


if __name__ == "__main__":
    main()
