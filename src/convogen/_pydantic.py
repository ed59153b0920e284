"""Classic ``autogen._pydantic``: pydantic helpers 0.2's users import (pydantic 2 only)."""

from __future__ import annotations

from typing import Any, ForwardRef

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaValue

__all__ = ("JsonSchemaValue", "evaluate_forwardref", "model_dump", "model_dump_json", "type2schema")

PYDANTIC_V1 = False


def type2schema(t: Any) -> JsonSchemaValue:
    """The JSON schema of a type (``None`` gives ``{"type": "null"}``)."""
    return TypeAdapter(t).json_schema()


def model_dump(model: BaseModel) -> dict[str, Any]:
    """The model as a dict."""
    return model.model_dump()


def model_dump_json(model: BaseModel) -> str:
    """The model as JSON text."""
    return model.model_dump_json()


def evaluate_forwardref(
    value: Any, globalns: dict[str, Any] | None = None, localns: dict[str, Any] | None = None
) -> Any:
    """Resolve a forward reference (or string annotation) in the given namespaces."""
    if isinstance(value, ForwardRef):
        value = value.__forward_arg__
    if isinstance(value, str):
        # The same evaluation typing.get_type_hints applies to a function's own annotations.
        return eval(value, globalns or {}, localns or {})
    return value
