"""Schema generation from function signatures (string annotations on purpose: see the import)."""

# The future import makes every annotation a string, so these tests also prove that hints are
# resolved (inspect.signature(eval_str=True)) rather than read raw.
from __future__ import annotations

import enum
import functools
from typing import Annotated, Any, Literal, Optional

import pytest
from pydantic import BaseModel, Field

from convogen.errors import ConfigError
from convogen.tools import Tool, function_schema, function_to_tool


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Address(BaseModel):
    street: str
    number: int = 1


class Person(BaseModel):
    name: str
    address: Address


def params(func: Any, **kwargs: Any) -> dict[str, Any]:
    schema: dict[str, Any] = function_schema(func, **kwargs)
    return schema["function"]["parameters"]  # type: ignore[no-any-return]


def test_output_shape_and_docstring_description() -> None:
    def add(a: int, b: int = 2) -> int:
        """Add two integers."""
        return a + b

    schema = function_schema(add)
    assert schema == {
        "type": "function",
        "function": {
            "name": "add",
            "description": "Add two integers.",
            "parameters": {
                "type": "object",
                "properties": {
                    "a": {"type": "integer"},
                    "b": {"type": "integer", "default": 2},
                },
                "required": ["a"],
                "additionalProperties": False,
            },
        },
    }


def test_explicit_name_and_description_override() -> None:
    def add(a: int) -> int:
        """Docstring."""
        return a

    schema = function_schema(add, name="plus", description="Adds.")
    assert schema["function"]["name"] == "plus"
    assert schema["function"]["description"] == "Adds."


def test_no_docstring_gives_empty_description() -> None:
    def nodoc(a: int) -> int:
        return a

    assert function_schema(nodoc)["function"]["description"] == ""


def test_multiline_docstring_is_dedented() -> None:
    def f(a: int) -> None:
        """Summary line.

        Details indented in source.
        """

    assert function_schema(f)["function"]["description"] == (
        "Summary line.\n\nDetails indented in source."
    )


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (str, {"type": "string"}),
        (int, {"type": "integer"}),
        (float, {"type": "number"}),
        (bool, {"type": "boolean"}),
        (list[int], {"type": "array", "items": {"type": "integer"}}),
        (dict[str, float], {"type": "object", "additionalProperties": {"type": "number"}}),
        (Literal["a", "b"], {"type": "string", "enum": ["a", "b"]}),
    ],
)
def test_basic_types(annotation: Any, expected: dict[str, Any]) -> None:
    def f(x: Any) -> None:
        pass

    # Swap the (resolved) annotation in without exec: signatures read __annotations__.
    f.__annotations__ = {"x": annotation, "return": None}
    assert params(f)["properties"]["x"] == expected
    assert params(f)["required"] == ["x"]


def test_optional_is_nullable_and_not_required() -> None:
    def f(x: Optional[int] = None, y: str | None = None) -> None:  # noqa: UP045
        pass

    p = params(f)
    assert p["properties"]["x"] == {
        "anyOf": [{"type": "integer"}, {"type": "null"}],
        "default": None,
    }
    assert p["properties"]["y"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert p["required"] == []


def test_required_only_without_default() -> None:
    def f(a: int, b: str, c: bool = True, d: float = 0.5) -> None:
        pass

    assert params(f)["required"] == ["a", "b"]
    assert list(params(f)["properties"]) == ["a", "b", "c", "d"]


def test_enum_parameter_uses_values() -> None:
    def paint(color: Color = Color.RED) -> None:
        pass

    p = params(paint)
    assert p["properties"]["color"] == {"$ref": "#/$defs/Color", "default": "red"}
    assert p["$defs"]["Color"] == {"type": "string", "enum": ["red", "blue"]}


def test_pydantic_model_parameter_with_nested_model() -> None:
    def register(person: Person) -> None:
        pass

    p = params(register)
    assert p["required"] == ["person"]
    assert p["properties"]["person"] == {"$ref": "#/$defs/Person"}
    assert p["$defs"]["Person"]["properties"]["address"] == {"$ref": "#/$defs/Address"}
    assert p["$defs"]["Address"]["required"] == ["street"]
    assert p["$defs"]["Address"]["properties"]["number"] == {"type": "integer", "default": 1}


def test_annotated_descriptions() -> None:
    def f(
        city: Annotated[str, "The city name"],
        days: Annotated[int, "Number of days", "at most 7"] = 3,
        n: Annotated[int, Field(ge=0), "A count"] = 0,
    ) -> Annotated[str, "The forecast"]:
        return ""

    p = params(f)
    assert p["properties"]["city"] == {"type": "string", "description": "The city name"}
    assert p["properties"]["days"]["description"] == "Number of days at most 7"
    # Non-string Annotated metadata (pydantic Field) still applies.
    assert p["properties"]["n"] == {
        "type": "integer",
        "description": "A count",
        "minimum": 0,
        "default": 0,
    }
    assert p["required"] == ["city"]


def test_field_description_in_annotated_is_kept() -> None:
    def f(x: Annotated[int, Field(description="from Field")]) -> None:
        pass

    assert params(f)["properties"]["x"]["description"] == "from Field"


def test_titles_removed_but_property_named_title_kept() -> None:
    def f(title: str, default_meta: dict[str, str] | None = None) -> None:
        pass

    p = params(f)
    assert p["properties"]["title"] == {"type": "string"}
    assert "title" not in p
    assert all("title" not in prop for prop in p["properties"].values())


def test_parameter_names_clashing_with_basemodel_are_fine() -> None:
    def f(model_config: str, json: int, _private: bool = False) -> None:
        pass

    p = params(f)
    assert list(p["properties"]) == ["model_config", "json", "_private"]
    assert p["required"] == ["model_config", "json"]


def test_missing_type_hint_is_config_error_naming_function_and_parameter() -> None:
    def greet(name, times: int = 1) -> str:  # type: ignore[no-untyped-def]
        return ""

    with pytest.raises(ConfigError) as info:
        function_schema(greet)
    message = str(info.value)
    assert "greet" in message
    assert "'name'" in message
    assert "type hint" in message


@pytest.mark.parametrize("star", ["args", "kwargs"])
def test_var_args_rejected(star: str) -> None:
    def with_args(a: int, *args: int) -> None:
        pass

    def with_kwargs(a: int, **kwargs: int) -> None:
        pass

    func = with_args if star == "args" else with_kwargs
    with pytest.raises(ConfigError) as info:
        function_to_tool(func)
    assert func.__name__ in str(info.value)
    assert star in str(info.value)


def test_unresolvable_hint_is_config_error() -> None:
    def f(x: NoSuchType) -> None:  # type: ignore[name-defined]  # noqa: F821
        pass

    with pytest.raises(ConfigError, match="cannot be resolved") as info:
        function_schema(f)
    assert "parameter 'x'" in str(info.value)


def test_unresolvable_return_hint_is_ignored() -> None:
    # Return hints often name types imported only under TYPE_CHECKING; tools don't need them.
    def f(x: int) -> OnlyForTypeCheckers:  # type: ignore[name-defined]  # noqa: F821
        """Doc."""

    assert params(f)["properties"] == {"x": {"type": "integer"}}


def test_type_without_schema_is_config_error_naming_parameter() -> None:
    class Opaque:
        pass

    def f(ok: int, thing: Any) -> None:
        pass

    f.__annotations__ = {"ok": int, "thing": Opaque}
    with pytest.raises(ConfigError) as info:
        function_schema(f)
    assert "'thing'" in str(info.value)


@pytest.mark.parametrize("bad", ["", "has space", "dot.name", "x" * 65, "ünïcode", "trailing\n"])
def test_invalid_name_is_config_error(bad: str) -> None:
    def f(a: int) -> None:
        pass

    with pytest.raises(ConfigError, match="tool name"):
        function_to_tool(f, name=bad)


def test_lambda_needs_explicit_name() -> None:
    fn = lambda: None  # noqa: E731
    with pytest.raises(ConfigError, match="<lambda>"):
        function_to_tool(fn)
    assert function_to_tool(fn, name="noop").name == "noop"


def test_valid_names() -> None:
    def f() -> None:
        pass

    for good in ["a", "A-b_9", "x" * 64]:
        assert function_to_tool(f, name=good).schema["function"]["name"] == good


def test_tool_fields() -> None:
    async def fetch(url: str) -> str:
        """Fetch a URL."""
        return url

    def sync(url: str) -> str:
        return url

    tool = function_to_tool(fetch)
    assert isinstance(tool, Tool)
    assert tool.name == "fetch"
    assert tool.description == "Fetch a URL."
    assert tool.func is fetch
    assert tool.is_async is True
    assert function_to_tool(sync).is_async is False
    assert tool.schema == function_schema(fetch)
    assert tool.args_model.model_validate({"url": "u"}) is not None


def test_partial_method_and_callable_object() -> None:
    def scale(x: int, factor: int) -> int:
        return x * factor

    class Counter:
        def bump(self, by: int) -> int:
            """Bump it."""
            return by

        async def __call__(self, n: int) -> int:
            return n

    scale.__doc__ = "Scale x."
    partial_tool = function_to_tool(functools.partial(scale, factor=2))
    assert partial_tool.name == "scale"
    assert partial_tool.description == "Scale x."
    assert partial_tool.schema["function"]["parameters"]["required"] == ["x"]

    method_tool = function_to_tool(Counter().bump)
    assert method_tool.name == "bump"
    assert list(method_tool.schema["function"]["parameters"]["properties"]) == ["by"]

    obj_tool = function_to_tool(Counter(), name="counter")
    assert obj_tool.is_async is True
    assert list(obj_tool.schema["function"]["parameters"]["properties"]) == ["n"]


def test_function_to_tool_on_tool_renames() -> None:
    def f(a: int) -> None:
        """Doc."""

    tool = function_to_tool(f)
    assert function_to_tool(tool) is tool
    renamed = function_to_tool(tool, name="g", description="New.")
    assert renamed.schema["function"]["name"] == "g"
    assert renamed.schema["function"]["description"] == "New."
    assert renamed.schema["function"]["parameters"] == tool.schema["function"]["parameters"]
    assert tool.name == "f"
    with pytest.raises(ConfigError):
        function_to_tool(tool, name="bad name")
