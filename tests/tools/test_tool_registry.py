"""ToolRegistry: adding, replacing, removing, schemas, and use as an execution mapping."""

import logging

import pytest

from convogen.messages import ToolCall
from convogen.tools import ToolRegistry, execute_tool_calls, function_to_tool


def double(x: int) -> int:
    """Double x."""
    return 2 * x


def negate(x: int) -> int:
    """Negate x."""
    return -x


def test_add_get_names_schemas() -> None:
    registry = ToolRegistry()
    tool = registry.add(function_to_tool(double))
    registry.add_function(negate, name="neg", description="Flip the sign.")
    assert registry.names == ["double", "neg"]
    assert registry.get("double") is tool
    assert registry["double"] is tool
    assert registry.get("missing") is None
    assert "neg" in registry
    assert len(registry) == 2
    assert [s["function"]["name"] for s in registry.schemas()] == ["double", "neg"]
    assert registry.schemas()[1]["function"]["description"] == "Flip the sign."


def test_schemas_are_copies() -> None:
    registry = ToolRegistry([function_to_tool(double)])
    registry.schemas()[0]["function"]["parameters"]["properties"].clear()
    assert registry.schemas()[0]["function"]["parameters"]["properties"] == {
        "x": {"type": "integer"}
    }


def test_duplicate_name_replaces_with_warning(caplog: pytest.LogCaptureFixture) -> None:
    registry = ToolRegistry([function_to_tool(double)])
    replacement = function_to_tool(negate, name="double")
    with caplog.at_level(logging.WARNING, logger="convogen.tools"):
        registry.add(replacement)
    assert registry["double"] is replacement
    assert registry.names == ["double"]
    assert [r.name for r in caplog.records] == ["convogen.tools"]
    assert "'double'" in caplog.records[0].getMessage()


def test_re_adding_same_tool_is_silent(caplog: pytest.LogCaptureFixture) -> None:
    tool = function_to_tool(double)
    registry = ToolRegistry([tool])
    with caplog.at_level(logging.WARNING, logger="convogen.tools"):
        registry.add(tool)
    assert caplog.records == []


def test_remove() -> None:
    registry = ToolRegistry([function_to_tool(double), function_to_tool(negate)])
    removed = registry.remove("double")
    assert removed.name == "double"
    assert registry.names == ["negate"]
    with pytest.raises(KeyError, match="double"):
        registry.remove("double")


def test_add_rejects_non_tool() -> None:
    with pytest.raises(TypeError, match="function_to_tool"):
        ToolRegistry().add(double)  # type: ignore[arg-type]


async def test_registry_is_an_execution_mapping() -> None:
    registry = ToolRegistry([function_to_tool(double), function_to_tool(negate)])
    calls: list[ToolCall] = [
        {"id": "1", "type": "function", "function": {"name": "negate", "arguments": '{"x": 3}'}},
        {"id": "2", "type": "function", "function": {"name": "triple", "arguments": "{}"}},
    ]
    responses = await execute_tool_calls(registry, calls)
    assert responses[0] == {"tool_call_id": "1", "role": "tool", "content": "-3"}
    assert responses[1]["content"] == (
        "Error: unknown tool 'triple'; available: ['double', 'negate']"
    )
