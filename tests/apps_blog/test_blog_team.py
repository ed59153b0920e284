"""The writer revises after the critic's feedback; reviewers advise through nested chats."""

from __future__ import annotations

from typing import Any

import pytest

from convogen import StopReason, scripted_llm_config
from convogen.apps.blog import write_blog
from convogen.errors import ConfigError
from convogen.messages import content_str

DRAFT = "# Cold brew at home\nSteep coarse coffee in cold water for 12 hours, then strain."
SAFETY = "## Food safety\nKeep the brew in the fridge and drink it within a week."


def writer(messages: list[Any]) -> str:
    """Drafts, then adds whatever section the latest feedback asks for."""
    feedback = content_str(messages[-1].get("content")).lower()
    if "storage" in feedback or "safety" in feedback:
        return f"{DRAFT}\n\n{SAFETY}"
    return DRAFT


def test_the_critics_feedback_is_incorporated_and_approval_stops_the_chat() -> None:
    critic = scripted_llm_config(
        ["Good start, but add a section on storage safety: how long does it keep?", "APPROVED"]
    )
    result = write_blog("cold brew coffee", scripted_llm_config(writer), critic, max_rounds=4)
    assert result.draft == DRAFT
    assert result.post != result.draft and SAFETY in result.post
    assert result.versions == [DRAFT, f"{DRAFT}\n\n{SAFETY}"]
    assert result.feedback[0].startswith("Good start") and result.approved
    assert result.chat_result is not None
    assert result.chat_result.stop_reason is StopReason.TERMINATION_MESSAGE
    task = content_str(result.chat_result.chat_history[0]["content"])
    assert "cold brew coffee" in task and "under 300 words" in task


def test_without_approval_the_chat_stops_after_max_rounds() -> None:
    critic = scripted_llm_config(["Make it punchier."], on_exhausted="repeat_last")
    result = write_blog("tea", scripted_llm_config([DRAFT, DRAFT + "!"]), critic, max_rounds=2)
    assert len(result.versions) == 2 and not result.approved
    assert result.chat_result is not None
    assert result.chat_result.stop_reason is StopReason.MAX_TURNS


def test_reviewers_advise_the_critic_through_nested_chats() -> None:
    seen: dict[str, str] = {}

    def reviewer(role: str, review: str) -> Any:
        def reply(messages: list[Any]) -> str:
            seen[role] = content_str(messages[-1].get("content"))
            return review if "Food safety" not in seen[role] else f"As the {role} reviewer: fine."

        return reply

    def meta(messages: list[Any]) -> str:
        text = content_str(messages[-1].get("content"))
        return "APPROVED" if "legal reviewer: fine" in text else f"Please change: {text[-80:]}"

    result = write_blog(
        "cold brew coffee",
        scripted_llm_config(writer),
        scripted_llm_config(meta),
        reviewer_llm_configs={
            "SEO": scripted_llm_config(reviewer("SEO", "As the SEO reviewer: add 'cold brew'.")),
            "legal": scripted_llm_config(
                reviewer("legal", "As the legal reviewer: add a food safety note on storage.")
            ),
        },
    )
    assert SAFETY in result.post and result.approved
    assert "food safety note" in result.feedback[0]
    # Each reviewer saw the draft alone, not the other reviewer's opinion.
    assert "SEO reviewer" not in seen["legal"]
    assert seen["legal"].startswith("Review this blog post draft:")
    # The nested reviews stay out of the writer/critic conversation.
    names = (
        {m.get("name") for m in result.chat_result.chat_history} if result.chat_result else set()
    )
    assert names == {"writer", "critic"}


@pytest.mark.parametrize(("topic", "rounds", "field"), [("", 2, "topic"), ("x", 0, "max_rounds")])
def test_bad_arguments_name_the_field(topic: str, rounds: int, field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        write_blog(topic, scripted_llm_config(["x"]), scripted_llm_config(["y"]), max_rounds=rounds)
