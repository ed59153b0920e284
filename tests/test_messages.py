import pytest

from convogen.errors import MessageError
from convogen.messages import content_str, to_message


def test_string_becomes_user_message() -> None:
    assert to_message("hi") == {"content": "hi", "role": "user"}


def test_dict_keeps_fields_and_gets_default_role() -> None:
    message = to_message({"content": "x", "name": "bob"}, default_role="assistant")
    assert message == {"content": "x", "name": "bob", "role": "assistant"}


def test_tool_call_message_needs_no_content() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    assert to_message({"tool_calls": [call]})["tool_calls"][0]["id"] == "c1"


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        (42, "must be a str or a dict"),
        ({"role": "user"}, "needs 'content'"),
        ({"content": 3}, "'content' must be"),
        ({"content": "x", "role": "robot"}, "'role' must be one of"),
        ({"content": "x", "colour": "red"}, "unknown message field"),
        ({"tool_calls": [{"function": {"name": "f"}}]}, "needs a string 'id'"),
    ],
)
def test_invalid_messages_are_rejected_with_the_reason(bad: object, fragment: str) -> None:
    with pytest.raises(MessageError, match=fragment):
        to_message(bad)  # type: ignore[arg-type]


def test_content_str_joins_multimodal_parts() -> None:
    parts = [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "x"}}]
    assert content_str(parts) == "look\n<image>"
    assert content_str(None) == ""
