"""An independent solver for the supply-chain model: every open-warehouse set, then an LP."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest
from scipy.optimize import linprog

from convogen.apps.optiguide import SupplyChain


def brute_force_cost(model: SupplyChain) -> float | None:
    """The optimum found without the package's solver: try each set of open warehouses."""
    fs, ws, cs = sorted(model.supply), sorted(model.capacity), sorted(model.demand)
    best: float | None = None
    usable = [w for w in ws if w not in model.closed]
    for r in range(len(usable) + 1):
        for opened in itertools.combinations(usable, r):
            if not set(model.forced_open) <= set(opened):
                continue
            arcs_in = [(f, w) for f in fs for w in opened]
            arcs_out = [(w, c) for w in opened for c in cs]
            n = len(arcs_in) + len(arcs_out)
            if n == 0:
                continue
            cost = [model.production_cost[f] + model.cost_fw[f][w] for f, w in arcs_in]
            cost += [model.cost_wc[w][c] for w, c in arcs_out]
            a_ub, b_ub, a_eq, b_eq = [], [], [], []
            for f in fs:
                a_ub.append([1.0 if a[0] == f else 0.0 for a in arcs_in] + [0.0] * len(arcs_out))
                b_ub.append(model.supply[f])
            for w in opened:
                a_ub.append([0.0] * len(arcs_in) + [1.0 if a[0] == w else 0.0 for a in arcs_out])
                b_ub.append(model.capacity[w])
                a_eq.append(
                    [1.0 if a[1] == w else 0.0 for a in arcs_in]
                    + [-1.0 if a[0] == w else 0.0 for a in arcs_out]
                )
                b_eq.append(0.0)
            for c in cs:
                a_ub.append([0.0] * len(arcs_in) + [-1.0 if a[1] == c else 0.0 for a in arcs_out])
                b_ub.append(-model.demand[c])
            result = linprog(
                np.array(cost), A_ub=np.array(a_ub), b_ub=b_ub, A_eq=np.array(a_eq), b_eq=b_eq
            )
            if result.status == 0:
                total = float(result.fun) + sum(model.fixed_cost[w] for w in opened)
                best = total if best is None else min(best, total)
    return best


@pytest.fixture
def independent_cost() -> Callable[[SupplyChain], float | None]:
    """The brute-force solver as a fixture."""
    return brute_force_cost
