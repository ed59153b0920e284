"""The acceptance step: parse a structured reply and let ``filter_func`` reject it."""

from __future__ import annotations

from typing import Any

from convogen.llm.classic_response import ClassicResponse
from convogen.llm.pipeline.prepare import PreparedCall
from convogen.llm.protocol import ModelResponse


def parse(response: ModelResponse, model_cls: Any) -> list[Any]:
    """The parsed objects of a structured reply (empty for a plain call)."""
    if model_cls is None:
        return []
    from convogen.llm.structured import parse_choices  # pydantic: only for structured calls

    return parse_choices(response, model_cls)


def rejected(call: PreparedCall, response: ModelResponse, is_last: bool) -> bool:
    """Whether ``filter_func`` refuses the reply; the last config's reply is never refused."""
    if call.filter_func is None or is_last:
        return False
    return not call.filter_func(context=call.context, response=ClassicResponse(response))
