"""0.2 helper behaviours found missing by running its offline test suite against convogen."""

from __future__ import annotations

import logging
from typing import Annotated

import pytest
from pydantic import BaseModel

from convogen._pydantic import PYDANTIC_V1, model_dump, type2schema
from convogen.agentchat.chat import _post_process_carryover_item
from convogen.agentchat.utils import parse_tags_from_content
from convogen.function_utils import get_function_schema, get_parameter_json_schema


def test_a_quoted_tag_attribute_may_contain_an_apostrophe() -> None:
    tags = parse_tags_from_content("audio", "say <audio text='It's me' voice='low'>")
    assert tags[0]["attr"] == {"text": "It's me", "voice": "low"}


def test_words_after_a_tag_name_still_become_its_source() -> None:
    tags = parse_tags_from_content("img", "<img http://x/a.png width='9'>")
    assert tags[0]["attr"] == {"src": "http://x/a.png", "width": "9"}


def test_post_process_carryover_item_takes_the_content_of_a_message() -> None:
    assert _post_process_carryover_item({"content": "hi", "role": "model"}) == "hi"
    assert _post_process_carryover_item("plain") == "plain"


class Point(BaseModel):
    x: int


def test_classic_parameter_schema_keeps_pydantic_titles() -> None:
    schema = get_parameter_json_schema("p", Annotated[Point, "A point."], {})
    assert schema["title"] == "Point"
    assert schema["properties"] == {"x": {"title": "X", "type": "integer"}}
    assert schema["description"] == "A point."


def test_missing_return_annotation_is_logged_with_the_classic_sentence(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def f(a: int):  # type: ignore[no-untyped-def]
        return a

    with caplog.at_level(logging.WARNING):
        get_function_schema(f, description="d")
    assert "The return type of the function 'f' is not annotated." in caplog.text


def test_unannotated_defaults_are_logged_with_the_classic_sentence(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def f(a: int, b=1, c=None) -> str:  # type: ignore[no-untyped-def]
        return ""

    with caplog.at_level(logging.WARNING):
        get_function_schema(f, description="d")
    assert "function 'f' with default values are not annotated: 'b', 'c'." in caplog.text


def test_get_function_schema_accepts_any_name_like_0_2() -> None:
    def f(a: int) -> str:
        return ""

    schema = get_function_schema(f, description="d", name="fancy name")
    assert schema["function"]["name"] == "fancy name"


def test_pydantic_helpers_of_0_2_work_on_pydantic_2() -> None:
    assert PYDANTIC_V1 is False
    assert model_dump(Point(x=1)) == {"x": 1}
    assert type2schema(int) == {"type": "integer"}


def test_transition_graph_warnings_use_0_2_key_words(caplog: pytest.LogCaptureFixture) -> None:
    from convogen import ConversableAgent
    from convogen.graph_utils import check_graph_validity

    a, b, c = (ConversableAgent(n, llm_config=False) for n in "abc")
    stranger = ConversableAgent("stranger", llm_config=False)
    with caplog.at_level(logging.WARNING):
        check_graph_validity({a: [b, b, stranger], b: [a], c: []}, [a, b, c])
    assert "isolated" in caplog.text
    assert "allowed_speaker_transitions do not match agents" in caplog.text
    assert "duplicate" in caplog.text
