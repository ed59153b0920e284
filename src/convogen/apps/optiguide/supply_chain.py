"""A small supply-chain model (factories -> warehouses -> customers) solved as a MILP with HiGHS.

This module is self-contained (NumPy and SciPy only): the commander copies it next to the
what-if code in the sandbox, where convogen itself need not be importable.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SupplyChain:
    """Shipping-cost minimisation data; what-if code edits these fields in place.

    Factories produce (``supply`` capacity, ``production_cost`` per unit) and ship to
    warehouses (``cost_fw[factory][warehouse]`` per unit); warehouses that are open (paying
    ``fixed_cost``) forward up to ``capacity`` units to customers (``cost_wc[w][c]``) whose
    ``demand`` must be met. ``closed`` warehouses may not be used; ``forced_open`` must be.
    """

    supply: dict[str, float]
    production_cost: dict[str, float]
    capacity: dict[str, float]
    fixed_cost: dict[str, float]
    demand: dict[str, float]
    cost_fw: dict[str, dict[str, float]]
    cost_wc: dict[str, dict[str, float]]
    closed: list[str] = field(default_factory=list)
    forced_open: list[str] = field(default_factory=list)

    @property
    def factories(self) -> list[str]:
        """Factory names, sorted."""
        return sorted(self.supply)

    @property
    def warehouses(self) -> list[str]:
        """Warehouse names, sorted."""
        return sorted(self.capacity)

    @property
    def customers(self) -> list[str]:
        """Customer names, sorted."""
        return sorted(self.demand)

    def to_json(self) -> str:
        """The model as JSON."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SupplyChain:
        """A model from ``to_json`` output."""
        return cls(**json.loads(text))


@dataclass
class Solution:
    """The optimum: status ('optimal' or 'infeasible'), total cost, flows and open warehouses."""

    status: str
    cost: float | None
    open_warehouses: list[str] = field(default_factory=list)
    flows_fw: dict[str, float] = field(default_factory=dict)
    flows_wc: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def default_model() -> SupplyChain:
    """Two factories, three warehouses, four customers (the example's baseline)."""
    return SupplyChain(
        supply={"F1": 150.0, "F2": 120.0},
        production_cost={"F1": 4.0, "F2": 5.0},
        capacity={"W1": 120.0, "W2": 100.0, "W3": 90.0},
        fixed_cost={"W1": 300.0, "W2": 250.0, "W3": 200.0},
        demand={"C1": 50.0, "C2": 60.0, "C3": 40.0, "C4": 45.0},
        cost_fw={
            "F1": {"W1": 2.0, "W2": 4.0, "W3": 6.0},
            "F2": {"W1": 5.0, "W2": 3.0, "W3": 2.0},
        },
        cost_wc={
            "W1": {"C1": 3.0, "C2": 5.0, "C3": 7.0, "C4": 9.0},
            "W2": {"C1": 6.0, "C2": 3.0, "C3": 4.0, "C4": 6.0},
            "W3": {"C1": 9.0, "C2": 7.0, "C3": 3.0, "C4": 2.0},
        },
    )


def solve(model: SupplyChain) -> Solution:
    """Minimise production + shipping + fixed costs with scipy.optimize.milp (HiGHS)."""
    import numpy as np
    from scipy.optimize import (  # type: ignore[import-untyped]
        Bounds,
        LinearConstraint,
        milp,
    )

    fs, ws, cs = model.factories, model.warehouses, model.customers
    # Variable layout: x[f,w] flows, then y[w,c] flows, then open[w] binaries.
    xi = {(f, w): i for i, (f, w) in enumerate((f, w) for f in fs for w in ws)}
    yi = {(w, c): len(xi) + i for i, (w, c) in enumerate((w, c) for w in ws for c in cs)}
    oi = {w: len(xi) + len(yi) + i for i, w in enumerate(ws)}
    n = len(xi) + len(yi) + len(oi)
    cost = np.zeros(n)
    for (f, w), i in xi.items():
        cost[i] = model.production_cost[f] + model.cost_fw[f][w]
    for (w, c), i in yi.items():
        cost[i] = model.cost_wc[w][c]
    for w, i in oi.items():
        cost[i] = model.fixed_cost[w]
    rows: list[Any] = []
    low: list[float] = []
    high: list[float] = []

    def add(coefficients: dict[int, float], lo: float, hi: float) -> None:
        row = np.zeros(n)
        for index, value in coefficients.items():
            row[index] = value
        rows.append(row)
        low.append(lo)
        high.append(hi)

    for f in fs:  # a factory ships at most what it can make
        add({xi[f, w]: 1.0 for w in ws}, -np.inf, model.supply[f])
    for w in ws:  # what enters a warehouse leaves it
        add({**{xi[f, w]: 1.0 for f in fs}, **{yi[w, c]: -1.0 for c in cs}}, 0.0, 0.0)
        # only an open warehouse forwards, up to its capacity
        add({**{yi[w, c]: 1.0 for c in cs}, oi[w]: -model.capacity[w]}, -np.inf, 0.0)
    for c in cs:  # every customer's demand is met
        add({yi[w, c]: 1.0 for w in ws}, model.demand[c], np.inf)
    upper = np.full(n, np.inf)
    lower = np.zeros(n)
    for w, i in oi.items():
        upper[i] = 0.0 if w in model.closed else 1.0
        lower[i] = 1.0 if w in model.forced_open and w not in model.closed else 0.0
    integrality = np.zeros(n)
    integrality[list(oi.values())] = 1
    result = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), np.array(low), np.array(high)),
        bounds=Bounds(lower, upper),
        integrality=integrality,
    )
    if result.status != 0 or result.x is None:
        return Solution(status="infeasible", cost=None)
    x = result.x
    return Solution(
        status="optimal",
        cost=round(float(result.fun), 6),
        open_warehouses=[w for w, i in oi.items() if x[i] > 0.5],
        flows_fw={f"{f}->{w}": round(float(x[i]), 6) for (f, w), i in xi.items() if x[i] > 1e-9},
        flows_wc={f"{w}->{c}": round(float(x[i]), 6) for (w, c), i in yi.items() if x[i] > 1e-9},
    )
