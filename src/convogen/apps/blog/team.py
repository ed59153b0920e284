"""A writer and a critic refine a blog post; reviewers can advise the critic via nested chats.

The critic opens the chat with the assignment, the writer drafts, the critic answers with
feedback, the writer revises, and so on. The chat ends when the critic's reply contains
``APPROVED`` (``stop_reason="termination_message"``) or after ``max_rounds`` writer replies
(``"max_turns"``). With reviewers (e.g. SEO, legal), each reviewer reads the latest draft
in a one-turn nested chat of the critic's, and a meta reviewer driven by the critic's model
merges their reviews into the critic's reply (the "reflection" pattern).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from convogen.agents.assistant import AssistantAgent
from convogen.agents.conversable import ConversableAgent
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import ChatResult

APPROVED = "APPROVED"

WRITER_SYSTEM_MESSAGE = (
    "You write engaging, accurate blog posts. Return only the post, starting with a title. "
    "When you receive feedback, rewrite the whole post so that it addresses every point."
)
CRITIC_SYSTEM_MESSAGE = (
    "You are an exacting editor. Read the post and list concrete changes it needs. If it "
    f"needs none, reply with the single word {APPROVED}."
)
REVIEWER_SYSTEM_MESSAGE = (
    "You review blog posts as the {role} reviewer. Give at most three concrete suggestions, "
    "starting with 'As the {role} reviewer:'. If nothing needs changing from your side, say so."
)
META_REVIEWER_SYSTEM_MESSAGE = (
    "You merge reviews of a blog post into one short list of changes for its writer. If no "
    f"reviewer asks for a change, reply with the single word {APPROVED}."
)
TASK_TEMPLATE = "Write a concise blog post (under {words} words) about: {topic}"


@dataclass
class BlogResult:
    """The final post, the first draft, every version and every piece of feedback."""

    topic: str
    post: str
    draft: str
    versions: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    approved: bool = False
    chat_result: ChatResult | None = None


def is_approval(message: Message) -> bool:
    """True when the critic's message approves the post."""
    return APPROVED in content_str(message.get("content")).upper()


def _review_request(
    recipient: ConversableAgent, messages: list[Message], sender: ConversableAgent, config: Any
) -> str:
    """The message a reviewer gets: the writer's latest draft."""
    draft = content_str(messages[-1].get("content")) if messages else ""
    return f"Review this blog post draft:\n\n{draft}"


def _merge_request(
    recipient: ConversableAgent, messages: list[Message], sender: ConversableAgent, config: Any
) -> str:
    # The reviewers' summaries reach the meta reviewer as carryover, appended to this text.
    draft = content_str(messages[-1].get("content")) if messages else ""
    return f"Merge the reviews below into one list of changes for this draft:\n\n{draft}"


def build_blog_team(
    writer_llm_config: dict[str, Any],
    critic_llm_config: dict[str, Any],
    reviewer_llm_configs: Mapping[str, dict[str, Any]] | None = None,
    max_rounds: int = 3,
    silent: bool = True,
) -> tuple[AssistantAgent, AssistantAgent]:
    """The writer and the critic (with reviewer nested chats when reviewers are given)."""
    if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
        raise ConfigError("max_rounds", max_rounds, "must be a positive int")
    writer = AssistantAgent(
        "writer",
        system_message=WRITER_SYSTEM_MESSAGE,
        llm_config=writer_llm_config,
        is_termination_msg=is_approval,
    )
    critic = AssistantAgent(
        "critic",
        system_message=CRITIC_SYSTEM_MESSAGE,
        llm_config=critic_llm_config,
        # The writer's replies are posts; nothing the writer says ends the chat.
        is_termination_msg=lambda message: False,
    )
    if reviewer_llm_configs:
        queue: list[dict[str, Any]] = []
        for index, (role, config) in enumerate(reviewer_llm_configs.items()):
            reviewer = AssistantAgent(
                f"{role}_reviewer",
                system_message=REVIEWER_SYSTEM_MESSAGE.format(role=role),
                llm_config=config,
            )
            queue.append(
                {
                    "recipient": reviewer,
                    "message": _review_request,
                    "max_turns": 1,
                    "summary_method": "last_msg",
                    "silent": silent,
                    # Each reviewer judges the draft alone, not swayed by earlier reviews.
                    "finished_chat_indexes_to_exclude_from_carryover": list(range(index)),
                }
            )
        meta = AssistantAgent(
            "meta_reviewer",
            system_message=META_REVIEWER_SYSTEM_MESSAGE,
            llm_config=critic_llm_config,
        )
        queue.append(
            {
                "recipient": meta,
                "message": _merge_request,
                "max_turns": 1,
                "summary_method": "last_msg",
                "silent": silent,
            }
        )
        critic.register_nested_chats(queue, trigger=writer)
    return writer, critic


def write_blog(
    topic: str,
    writer_llm_config: dict[str, Any],
    critic_llm_config: dict[str, Any],
    reviewer_llm_configs: Mapping[str, dict[str, Any]] | None = None,
    max_rounds: int = 3,
    words: int = 300,
    silent: bool = True,
) -> BlogResult:
    """Have a writer and a critic produce a blog post about ``topic``."""
    if not isinstance(topic, str) or not topic.strip():
        raise ConfigError("topic", topic, "must be a non-empty string")
    writer, critic = build_blog_team(
        writer_llm_config, critic_llm_config, reviewer_llm_configs, max_rounds, silent
    )
    result = critic.initiate_chat(
        writer,
        message=TASK_TEMPLATE.format(words=words, topic=topic),
        max_turns=max_rounds,
        summary_method="last_msg",
        silent=silent,
    )
    history = result.chat_history
    versions = [content_str(m.get("content")) for m in history if m.get("name") == writer.name]
    feedback = [content_str(m.get("content")) for m in history[1:] if m.get("name") == critic.name]
    if not versions:
        raise ConfigError("writer_llm_config", writer_llm_config, "the writer produced no post")
    return BlogResult(
        topic=topic,
        post=versions[-1],
        draft=versions[0],
        versions=versions,
        feedback=feedback,
        approved=bool(feedback) and APPROVED in feedback[-1].upper(),
        chat_result=result,
    )
