"""Classic ``convogen.function_utils``: 0.2's tool schemas from type hints."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel

from convogen.function_utils import (
    Parameters,
    get_default_values,
    get_function_schema,
    get_missing_annotations,
    get_param_annotations,
    get_parameter_json_schema,
    get_required_params,
    get_typed_return_annotation,
    get_typed_signature,
    load_basemodels_if_needed,
    serialize_to_str,
)


class Currency(BaseModel):
    currency: Literal["USD", "EUR"]
    amount: float = 0


def exchange(
    base_amount: Annotated[float, "Amount of currency in base_currency"],
    base_currency: Annotated[Literal["USD", "EUR"], "Base currency"] = "USD",
    quote_currency: Literal["USD", "EUR"] = "EUR",
) -> str:
    """Exchange money."""
    return f"{base_amount} {base_currency} -> {quote_currency}"


def test_schema_has_the_exact_0_2_shape() -> None:
    schema = get_function_schema(exchange, description="Currency exchange calculator.")
    assert schema == {
        "type": "function",
        "function": {
            "description": "Currency exchange calculator.",
            "name": "exchange",
            "parameters": {
                "type": "object",
                "properties": {
                    "base_amount": {
                        "type": "number",
                        "description": "Amount of currency in base_currency",
                    },
                    "base_currency": {
                        "enum": ["USD", "EUR"],
                        "type": "string",
                        "default": "USD",
                        "description": "Base currency",
                    },
                    "quote_currency": {
                        "enum": ["USD", "EUR"],
                        "type": "string",
                        "default": "EUR",
                        "description": "quote_currency",
                    },
                },
                "required": ["base_amount"],
            },
        },
    }


def test_schema_name_can_be_overridden() -> None:
    schema = get_function_schema(exchange, name="fx", description="d")
    assert schema["function"]["name"] == "fx"


def test_description_is_required() -> None:
    with pytest.raises(TypeError, match="description"):
        get_function_schema(exchange)  # type: ignore[call-arg]


def test_unannotated_required_parameter_is_a_type_error() -> None:
    def f(a, b: int) -> str:  # type: ignore[no-untyped-def]
        return ""

    with pytest.raises(TypeError, match=r"annotations are missing .* 'a'"):
        get_function_schema(f, description="f")


def test_missing_return_annotation_only_warns(caplog: pytest.LogCaptureFixture) -> None:
    def f(a: int):  # type: ignore[no-untyped-def]
        return a

    with caplog.at_level(logging.WARNING):
        schema = get_function_schema(f, description="f")
    assert schema["function"]["parameters"]["required"] == ["a"]
    assert "not annotated" in caplog.text


def test_signature_helpers() -> None:
    typed = get_typed_signature(exchange)
    assert get_required_params(typed) == ["base_amount"]
    assert get_default_values(typed) == {"base_currency": "USD", "quote_currency": "EUR"}
    assert set(get_param_annotations(typed)) == {"base_amount", "base_currency", "quote_currency"}
    assert get_typed_return_annotation(exchange) is str


def test_get_missing_annotations_splits_required_and_optional() -> None:
    def f(a, b=1, c: int = 2):  # type: ignore[no-untyped-def]
        return a

    typed = get_typed_signature(f)
    assert get_missing_annotations(typed, get_required_params(typed)) == ({"a"}, {"b"})


def test_parameter_schema_of_a_model_is_inlined() -> None:
    schema = get_parameter_json_schema("money", Currency, {})
    assert schema["type"] == "object"
    assert schema["required"] == ["currency"]
    assert schema["description"] == "money"


def test_parameters_model_defaults_to_object() -> None:
    assert Parameters(properties={}, required=[]).model_dump() == {
        "type": "object",
        "properties": {},
        "required": [],
    }


def test_load_basemodels_if_needed_turns_dicts_into_models() -> None:
    @load_basemodels_if_needed
    def total(money: Annotated[Currency, "money"]) -> float:
        return money.amount

    assert total(money={"currency": "USD", "amount": 2.5}) == 2.5


def test_load_basemodels_if_needed_keeps_coroutines_async() -> None:
    @load_basemodels_if_needed
    async def total(money: Currency) -> float:
        return money.amount

    assert inspect.iscoroutinefunction(total)
    assert asyncio.run(total(money={"currency": "EUR", "amount": 1})) == 1


def test_serialize_to_str() -> None:
    assert serialize_to_str("text") == "text"
    assert serialize_to_str({"é": 1}) == '{"é": 1}'
    assert serialize_to_str(Currency(currency="USD")) == '{"currency":"USD","amount":0.0}'
