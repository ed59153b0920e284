"""The price table: known models, dated snapshots, Azure names, unknown models, overrides."""

from __future__ import annotations

import pytest

from convogen.llm.pricing import completion_cost, model_price


@pytest.mark.parametrize(
    ("model", "price"),
    [
        ("gpt-4o", (0.0025, 0.01)),
        ("gpt-4o-2024-08-06", (0.0025, 0.01)),
        ("gpt-4o-2024-05-13", (0.005, 0.015)),  # the older snapshot cost more
        ("gpt-4o-mini-2024-07-18", (0.00015, 0.0006)),
        ("gpt-4-turbo-2024-04-09", (0.01, 0.03)),
        ("gpt-4-0613", (0.03, 0.06)),
        ("gpt-35-turbo", (0.0005, 0.0015)),
        ("gpt-3.5-turbo-1106", (0.001, 0.002)),
        ("openai/gpt-4o-mini", (0.00015, 0.0006)),
        ("o1-mini", (0.0011, 0.0044)),
    ],
)
def test_known_prices(model: str, price: tuple[float, float]) -> None:
    assert model_price(model) == price


@pytest.mark.parametrize("model", ["llama3", "gpt-5-imaginary", "mistral-7b-0613", ""])
def test_unknown_models_have_no_price(model: str) -> None:
    assert model_price(model) is None
    assert completion_cost(model, 100, 100) is None


def test_cost_and_override() -> None:
    assert completion_cost("gpt-4", 1000, 500) == pytest.approx(0.03 + 0.03)
    assert completion_cost("llama3", 1000, 1000, price=[0.1, 0.2]) == pytest.approx(0.3)
    assert completion_cost("gpt-4", 1000, 1000, price=(0, 0)) == 0
