"""Grammar and message helpers (no model needed)."""

from __future__ import annotations

import json

import pytest

from convogen.errors import ConfigError, ModelClientError
from convogen.llm.local.choose import _first_named
from convogen.llm.local.convert import parse_tool_call, to_chat_messages
from convogen.llm.local.grammars import (
    bound_schema,
    choice_grammar,
    gbnf_literal,
    tool_call_schema,
)


def test_gbnf_literal_escapes_quotes_backslashes_and_controls() -> None:
    assert gbnf_literal('a"b\\c\nd\x01') == '"a\\"b\\\\c\\nd\\x01"'
    assert choice_grammar(["x", "y z"]) == 'root ::= "x" | "y z"'


@pytest.mark.parametrize("options", [[], ["a", "a"], ["a", ""], "ab", [1]])
def test_bad_options_are_rejected(options: object) -> None:
    with pytest.raises(ConfigError, match="choices"):
        choice_grammar(options)  # type: ignore[arg-type]


def test_bound_schema_caps_only_unbounded_strings_and_arrays() -> None:
    schema = {
        "type": "object",
        "properties": {
            "free": {"type": "string"},
            "short": {"type": "string", "maxLength": 5},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    }
    bounded = bound_schema(schema)
    props = bounded["properties"]
    assert props["free"]["maxLength"] > 0
    assert props["short"]["maxLength"] == 5
    assert "maxLength" not in props["kind"]
    assert props["tags"]["maxItems"] > 0 and props["tags"]["items"]["maxLength"] > 0
    assert "maxLength" not in schema["properties"]["free"]  # the input is not changed


def test_tool_call_schema_hoists_defs_per_tool() -> None:
    def tool(name: str) -> dict[str, object]:
        params = {
            "type": "object",
            "properties": {"x": {"$ref": "#/$defs/X"}},
            "$defs": {"X": {"type": "integer"}},
        }
        return {"type": "function", "function": {"name": name, "parameters": params}}

    schema = tool_call_schema([tool("a"), tool("b")])
    assert set(schema["$defs"]) == {"tool0-X", "tool1-X"}
    refs = [v["properties"]["arguments"]["properties"]["x"]["$ref"] for v in schema["oneOf"]]
    assert refs == ["#/$defs/tool0-X", "#/$defs/tool1-X"]
    with pytest.raises(ConfigError, match="tool_choice"):
        tool_call_schema([tool("a")], only="zzz")


def test_messages_flatten_to_three_roles() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}}
    chat = to_chat_messages(
        [
            {"role": "user", "content": [{"type": "text", "text": "hi"}, {"type": "image_url"}]},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": "42"},
            {"role": "tool", "tool_responses": [{"tool_call_id": "c1", "content": "43"}]},
        ],
        system_extra="TOOLS",
    )
    assert [m["role"] for m in chat] == ["system", "user", "assistant", "user", "user"]
    assert chat[0]["content"] == "TOOLS"
    assert json.loads(chat[2]["content"]) == {"name": "f", "arguments": {"a": 1}}
    assert chat[3]["content"] == "Result of function f: 42"
    assert chat[4]["content"] == "Result of function f: 43"


def test_parse_tool_call() -> None:
    message = parse_tool_call('{"name": "f", "arguments": {"a": 1}}')
    assert message is not None
    (call,) = message["tool_calls"]
    assert call["function"] == {"name": "f", "arguments": '{"a": 1}'}
    assert parse_tool_call("hello") is None
    assert parse_tool_call("{broken") is None


def test_first_named_option_wins_for_free_text_models() -> None:
    assert _first_named("I think Bob2 then Alice", ["Alice", "Bob", "Bob2"]) == "Bob2"
    with pytest.raises(ModelClientError):
        _first_named("nobody", ["Alice"])
