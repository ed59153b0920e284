"""examples/app_optiguide.py: answers, a retried answer, and a refusal."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

from convogen.apps.optiguide import SupplyChain, default_model

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "app_optiguide.py"


def test_the_optiguide_example_runs(independent_cost: Callable[[SupplyChain], float]) -> None:
    spec = importlib.util.spec_from_file_location("example_app_optiguide", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    answers = module.main(silent=True)
    assert [a.status for a in answers] == ["answered", "answered", "refused"]
    assert [a.attempts for a in answers] == [1, 2, 1]
    grown, closed = default_model(), default_model()
    grown.demand["C2"] *= 1.5
    closed.closed.append("W3")
    assert answers[0].new_cost == pytest.approx(independent_cost(grown))
    assert answers[1].new_cost == pytest.approx(independent_cost(closed))
