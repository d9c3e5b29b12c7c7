"""G1 (BENCHMARKS.md) with JAX diffrax: the gradient of L = sum over trajectories of ||y(1)||^2 with respect to rho on
the Lorenz ensemble (sigma = 10, beta = 8/3, rho = linspace(0, 21, N), u0 = (1, 0, 0), t in [0, 1]), float64, Dopri5
at rtol in {1e-6, 1e-8} with atol = 1e-3 rtol, each trajectory its own solve under vmap (per-trajectory steps, as
odegpu's fused mode).

  python3 bench/peers/diffrax_g1.py --sizes 32768,524288 --out diffrax_g1.json

Methods: "recursive" is diffrax's default RecursiveCheckpointAdjoint (backpropagation through the solver with
checkpoints, the discrete adjoint), "backsolve" its BacksolveAdjoint (the continuous adjoint). Times are the best of
three after a compiling warm-up, synchronised with block_until_ready; the gradient error is against
RecursiveCheckpointAdjoint at rtol 1e-12 (relative max-norm over rho).
"""
import argparse, json, time

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import diffrax


def lorenz(t, u, rho):
    x, y, z = u[0], u[1], u[2]
    return jnp.stack([10.0 * (y - x), x * (rho - z) - y, x * y - (8.0 / 3.0) * z])


def gradient(method, rtol):
    adjoint = diffrax.BacksolveAdjoint() if method == "backsolve" else diffrax.RecursiveCheckpointAdjoint()

    def loss(rho):
        sol = diffrax.diffeqsolve(diffrax.ODETerm(lorenz), diffrax.Dopri5(), t0=0.0, t1=1.0, dt0=None,
                                  y0=jnp.array([1.0, 0.0, 0.0]), args=rho, saveat=diffrax.SaveAt(t1=True),
                                  stepsize_controller=diffrax.PIDController(rtol=rtol, atol=1e-3 * rtol),
                                  adjoint=adjoint, max_steps=100_000)
        return jnp.sum(sol.ys[-1] ** 2)

    return jax.jit(jax.vmap(jax.grad(loss)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="32768,524288")
    parser.add_argument("--rtols", default="1e-6,1e-8")
    parser.add_argument("--methods", default="recursive,backsolve")
    parser.add_argument("--out", default="diffrax_g1.json")
    args = parser.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        rho = jnp.linspace(0.0, 21.0, n)
        reference = gradient("recursive", 1e-12)(rho).block_until_ready()
        for method in args.methods.split(","):
            for rtol in (float(r) for r in args.rtols.split(",")):
                f = gradient(method, rtol)
                grad = f(rho).block_until_ready()
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    grad = f(rho).block_until_ready()
                    best = min(best, time.perf_counter() - start)
                error = float(jnp.max(jnp.abs(grad - reference)) / jnp.max(jnp.abs(reference)))
                rows.append(dict(peer="diffrax", method=method, n=n, rtol=rtol, seconds=best, gradient_error=error,
                                 d_rho_last=float(grad[-1])))
                print(json.dumps(rows[-1]), flush=True)
    with open(args.out, "w") as fh:
        json.dump(dict(device=str(jax.devices()[0]), jax=jax.__version__, diffrax=diffrax.__version__, rows=rows), fh, indent=2)


if __name__ == "__main__":
    main()
