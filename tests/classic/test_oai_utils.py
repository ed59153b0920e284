"""Classic helper modules: token counting, parameter checks, colours."""

from __future__ import annotations

import pytest

from convogen.formatting_utils import colored
from convogen.oai.client_utils import should_hide_tools, validate_parameter
from convogen.token_count_utils import (
    count_token,
    get_max_token_limit,
    num_tokens_from_functions,
    percentile_used,
    token_left,
)

TOOLS = [{"type": "function", "function": {"name": "add"}}]


def test_max_token_limit_knows_azure_spellings() -> None:
    assert get_max_token_limit("gpt-35-turbo") == get_max_token_limit("gpt-3.5-turbo") == 16385
    assert get_max_token_limit("gpt-4o-mini") == 128000


def test_unknown_model_limit_names_the_model() -> None:
    with pytest.raises(ValueError, match="no-such-model"):
        get_max_token_limit("no-such-model")


def test_messages_count_more_than_their_text() -> None:
    text = "hello there, how are you today?"
    assert count_token([{"role": "user", "content": text}]) > count_token(text) > 0


def test_tokens_left_and_percentile_agree() -> None:
    used = count_token("some words here", "gpt-4")
    assert token_left("some words here", "gpt-4") == 8192 - used
    assert percentile_used("some words here", "gpt-4") == pytest.approx(used / 8192)


def test_function_definitions_cost_tokens() -> None:
    small = num_tokens_from_functions([{"name": "f", "description": "d"}])
    big = num_tokens_from_functions(
        [{"name": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}]
    )
    assert big > small > 0


def test_count_token_rejects_other_types() -> None:
    with pytest.raises(ValueError, match="input"):
        count_token(42)  # type: ignore[arg-type]


def test_validate_parameter_keeps_valid_values() -> None:
    assert validate_parameter({"t": 0.5}, "t", (float, int), False, 1.0, (0, 2), None) == 0.5


def test_validate_parameter_warns_and_defaults_when_out_of_bounds() -> None:
    with pytest.warns(UserWarning, match="numerical bounds"):
        assert validate_parameter({"t": 5}, "t", (float, int), False, 1.0, (0, 2), None) == 1.0


def test_validate_parameter_warns_on_a_value_not_allowed() -> None:
    with pytest.warns(UserWarning, match="one of these values"):
        assert validate_parameter({"m": "x"}, "m", str, False, "a", None, ["a", "b"]) == "a"


def test_tools_hidden_once_any_ran() -> None:
    messages = [{"role": "tool", "tool_call_id": "1", "content": "3"}]
    assert should_hide_tools(messages, TOOLS, "if_any_run")
    assert not should_hide_tools(messages, TOOLS, "never")


def test_tools_hidden_only_when_all_ran() -> None:
    call = {"id": "1", "function": {"name": "add", "arguments": "{}"}}
    asked = [{"role": "assistant", "tool_calls": [call]}]
    assert not should_hide_tools(asked, TOOLS, "if_all_run")
    answered = [*asked, {"role": "tool", "tool_call_id": "1", "content": "3"}]
    assert should_hide_tools(answered, TOOLS, "if_all_run")


def test_should_hide_tools_rejects_unknown_modes() -> None:
    with pytest.raises(ValueError, match="hide_tools_param"):
        should_hide_tools([], TOOLS, "sometimes")


def test_colored_wraps_text_in_ansi_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colored("hi", "red", attrs=["bold"]) == "\033[31;1mhi\033[0m"
    monkeypatch.setenv("NO_COLOR", "1")
    assert colored("hi", "red") == "hi"
