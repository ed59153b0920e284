"""The retrieve proxy's default end-of-chat rule, as in AutoGen 0.2."""

from __future__ import annotations

from convogen.apps.retrieval.agents import answer_ends_chat


def test_a_plain_answer_ends_the_chat() -> None:
    assert answer_ends_chat({"content": "The warranty lasts 36 months."})


def test_asking_for_more_context_does_not_end_it() -> None:
    assert not answer_ends_chat({"content": "UPDATE CONTEXT"})


def test_python_code_to_run_does_not_end_it() -> None:
    assert not answer_ends_chat({"content": "Run this:\n```python\nprint(1)\n```"})


def test_an_empty_message_does_not_end_it() -> None:
    assert not answer_ends_chat({"content": None})
