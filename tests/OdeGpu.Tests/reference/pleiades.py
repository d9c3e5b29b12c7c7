"""Adds (or replaces) the Pleiades entry of problems.json: SciPy DOP853 at rtol = atol = 1e-13, float64.

Run with Debian's python3-scipy from this directory: /usr/bin/python3 pleiades.py
"""
import json

import numpy as np
from scipy.integrate import solve_ivp

MASSES = np.arange(1.0, 8.0)  # m_j = j, G = 1


def rhs(t, u):
    """Hairer, Norsett and Wanner I, II.10: u = (x1..x7, y1..y7, x1'..x7', y1'..y7')."""
    x, y = u[0:7], u[7:14]
    dx = x[None, :] - x[:, None]  # dx[i, j] = x_j - x_i
    dy = y[None, :] - y[:, None]
    r3 = (dx * dx + dy * dy) ** 1.5
    np.fill_diagonal(r3, np.inf)
    return np.concatenate([u[14:21], u[21:28], (MASSES * dx / r3).sum(axis=1), (MASSES * dy / r3).sum(axis=1)])


y0 = [3.0, 3.0, -1.0, -3.0, 2.0, -2.0, 2.0,
      3.0, -3.0, 2.0, 0.0, 0.0, -4.0, 4.0,
      0.0, 0.0, 0.0, 0.0, 0.0, 1.75, -1.5,
      0.0, 0.0, 0.0, -1.25, 1.0, 0.0, 0.0]
t = np.linspace(0.0, 3.0, 21).tolist()


def nfev(method, tol):
    return int(solve_ivp(rhs, (t[0], t[-1]), y0, method=method, rtol=tol, atol=tol, t_eval=t).nfev)


reference = solve_ivp(rhs, (t[0], t[-1]), y0, method="DOP853", rtol=1e-13, atol=1e-13, t_eval=t)
assert reference.success, reference.message
entry = {
    "name": "pleiades",
    "rhs": "seven bodies, m_j = j, G = 1: x_i'' = sum_{j != i} m_j (x_j - x_i) / r_ij^3 (Hairer I, II.10)",
    "params": {},
    "y0": y0,
    "t": t,
    "y": reference.y.T.tolist(),
    "note": "close encounters near t = 1.2 to 1.4",
    "scipy_rk45_nfev_tol1e-6": nfev("RK45", 1e-6),
    "scipy_dop853_nfev_tol1e-9": nfev("DOP853", 1e-9),
}

with open("problems.json") as f:
    problems = json.load(f)
problems["problems"] = [p for p in problems["problems"] if p["name"] != "pleiades"] + [entry]
with open("problems.json", "w") as f:
    f.write(json.dumps(problems, indent=1))
