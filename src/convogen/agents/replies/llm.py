"""The LLM reply: send the conversation to the agent's model and return its answer."""

from __future__ import annotations

from itertools import repeat
from operator import contains
from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import PASS, Replied, ReplyStep
from convogen.agents.view import ReplyAgent
from convogen.chat_run import cache_for_call
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.llm.wrapper import OpenAIWrapper

# Keys the model API does not accept; they stay in convogen's own history.
_LOCAL_KEY = "context"


async def generate_oai_reply(
    recipient: ReplyAgent,
    messages: list[Message] | None,
    sender: Any,
    config: Any,
) -> ReplyStep:
    """Reply with the model's completion of the system message plus the conversation."""
    # Imported here so that `import convogen` does not load the model layer (import time).
    from convogen.llm.wrapper import OpenAIWrapper

    client = config if isinstance(config, OpenAIWrapper) else recipient.get_llm_client()
    if client is None or messages is None:
        return PASS
    return await complete_with(client, recipient, messages)


async def complete_with(
    client: OpenAIWrapper, recipient: ReplyAgent, messages: list[Message]
) -> ReplyStep:
    """Reply with ``client``'s completion of the system message plus the conversation."""
    prompt = recipient.oai_system_messages + _model_view(messages)
    params: dict[str, Any] = {}
    llm_config = recipient.llm_config
    if isinstance(llm_config, dict):
        for key in ("tools", "functions"):
            if llm_config.get(key):
                params[key] = llm_config[key]
    cache = cache_for_call(recipient.client_cache)
    if cache is not None:
        params["cache"] = cache
    response = await client.a_create(messages=prompt, **params)
    extracted = client.extract_text_or_completion_object(response)[0]
    if isinstance(extracted, str):
        return Replied(extracted)
    reply: dict[str, Any] = dict(extracted)
    reply.pop("role", None)
    return Replied(reply)


def _model_view(messages: list[Message]) -> list[Message]:
    """``messages`` as the model sees them; the scan for local keys runs in C (map/any)."""
    if not any(map(contains, messages, repeat(_LOCAL_KEY))):
        return messages
    return [m if _LOCAL_KEY not in m else _for_model(m) for m in messages]


def _for_model(message: Message) -> Message:
    return {k: v for k, v in message.items() if k != _LOCAL_KEY}  # type: ignore[return-value]
