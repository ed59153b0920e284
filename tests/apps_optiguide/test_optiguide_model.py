"""The supply-chain MILP agrees with an independent brute-force solution."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from convogen.apps.optiguide import SupplyChain, default_model, solve

Solver = Callable[[SupplyChain], float | None]


def test_baseline_optimum(independent_cost: Solver) -> None:
    solution = solve(default_model())
    assert solution.status == "optimal"
    assert solution.cost == pytest.approx(independent_cost(default_model()))
    assert solution.cost == pytest.approx(2415.0)
    assert solution.open_warehouses == ["W1", "W3"]
    delivered = {c: 0.0 for c in default_model().demand}
    for arc, amount in solution.flows_wc.items():
        delivered[arc.split("->")[1]] += amount
    assert delivered == default_model().demand


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.demand.__setitem__("C2", m.demand["C2"] + 30),
        lambda m: m.closed.append("W3"),
        lambda m: m.forced_open.append("W2"),
        lambda m: m.cost_fw["F1"].__setitem__("W1", 9.0),
        lambda m: m.supply.__setitem__("F1", 60.0),
    ],
)
def test_what_ifs_match_the_independent_solver(
    change: Callable[..., None], independent_cost: Solver
) -> None:
    model = default_model()
    change(model)
    assert solve(model).cost == pytest.approx(independent_cost(model))


def test_infeasible_models_are_reported() -> None:
    model = default_model()
    model.closed.append("W1")  # the other two warehouses hold 190 < 195 units of demand
    solution = solve(model)
    assert solution.status == "infeasible" and solution.cost is None


def test_json_round_trip() -> None:
    model = default_model()
    model.closed.append("W2")
    assert SupplyChain.from_json(model.to_json()) == model
