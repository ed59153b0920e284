"""The LLM reply: send the conversation to the agent's model and return its answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import ReplyResult
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

# Keys the model API does not accept; they stay in convogen's own history.
_LOCAL_KEYS = ("context",)


async def generate_oai_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Reply with the model's completion of the system message plus the conversation."""
    # Imported here so that `import convogen` does not load the model layer (import time).
    from convogen.llm.wrapper import OpenAIWrapper

    client = config if isinstance(config, OpenAIWrapper) else recipient.get_llm_client()
    if client is None or messages is None:
        return False, None
    prompt = recipient._oai_system_message + [
        m if "context" not in m else _for_model(m) for m in messages
    ]
    params: dict[str, Any] = {}
    if recipient.llm_config:
        for key in ("tools", "functions"):
            if recipient.llm_config.get(key):
                params[key] = recipient.llm_config[key]
    if recipient.client_cache is not None:
        params["cache"] = recipient.client_cache
    response = await client.a_create(messages=prompt, **params)
    extracted = client.extract_text_or_completion_object(response)[0]
    if isinstance(extracted, str):
        return True, extracted
    reply: dict[str, Any] = dict(extracted)
    reply.pop("role", None)
    return True, reply


def _for_model(message: Message) -> Message:
    return {k: v for k, v in message.items() if k not in _LOCAL_KEYS}  # type: ignore[return-value]
