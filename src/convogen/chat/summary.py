"""How a finished chat is summarised: last message, LLM reflection, or a custom function."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.errors import ConfigError
from convogen.messages import Message, content_str

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

SummaryFunction = Callable[["ConversableAgent", "ConversableAgent", dict[str, Any]], str]
SUMMARY_METHODS = ("last_msg", "reflection_with_llm")
DEFAULT_SUMMARY_PROMPT = (
    "Summarize the takeaway from the conversation. Do not add any introductory phrases."
)


def check_summary_method(method: object) -> None:
    """Raise ``ConfigError`` unless ``method`` is a known name, a callable or None."""
    if method is None or callable(method) or method in SUMMARY_METHODS:
        return
    raise ConfigError(
        "summary_method", method, f"use one of {list(SUMMARY_METHODS)}, a callable or None"
    )


async def a_summarize(
    method: str | SummaryFunction | None,
    sender: ConversableAgent,
    recipient: ConversableAgent,
    summary_args: dict[str, Any],
) -> str:
    """The summary of the chat ``sender`` started with ``recipient``."""
    if method is None:
        return ""
    if callable(method):
        return str(method(sender, recipient, summary_args))
    if method == "last_msg":
        return last_message_summary(recipient.last_message(sender))
    return await _a_reflect(sender, recipient, summary_args)


def last_message_summary(message: Message | None) -> str:
    """The last message's text without the word TERMINATE and surrounding whitespace.

    (AutoGen 0.2 removes the word but keeps the whitespace around it.)
    """
    if message is None:
        return ""
    content = message.get("content")
    if isinstance(content, list):
        parts = [p["text"] for p in content if isinstance(p, dict) and "text" in p]
        return "\n".join(str(text).replace("TERMINATE", "").strip() for text in parts)
    return content_str(content).replace("TERMINATE", "").strip()


async def _a_reflect(
    sender: ConversableAgent, recipient: ConversableAgent, summary_args: dict[str, Any]
) -> str:
    """Ask an LLM (the sender's, else the recipient's) to summarise the conversation."""
    client = sender.get_llm_client() if sender.llm_config is not False else None
    if client is None and recipient.llm_config is not False:
        client = recipient.get_llm_client()
    if client is None:
        raise ConfigError(
            "summary_method",
            "reflection_with_llm",
            f"needs an LLM, but neither {sender.name} nor {recipient.name} has an llm_config",
        )
    prompt = summary_args.get("summary_prompt", DEFAULT_SUMMARY_PROMPT)
    role = summary_args.get("summary_role", "system")
    if role not in ("system", "user", "assistant"):
        raise ConfigError("summary_args['summary_role']", role, "use system, user or assistant")
    history = sender.chat_messages_for_summary(recipient)
    messages: list[Message] = [*history, {"role": role, "content": prompt}]
    response = await client.a_create(messages=messages)
    text = client.extract_text_or_completion_object(response)[0]
    return text if isinstance(text, str) else content_str(text.get("content"))
