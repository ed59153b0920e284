"""The "auto" strategy: an LLM names the next speaker, checked and retried with feedback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.names import mentioned_names, resolve_name
from convogen.messages import Message, content_str

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.llm.wrapper import OpenAIWrapper


async def a_llm_select(
    groupchat: GroupChat,
    last_speaker: ConversableAgent,
    candidates: Sequence[ConversableAgent],
    selector: ConversableAgent,
) -> tuple[ConversableAgent, str]:
    """Ask ``selector``'s model for one of ``candidates``; retry with feedback, then fall back."""
    client = selector.get_llm_client()
    names = [a.name for a in candidates]
    if client is None:
        fallback = groupchat.next_agent(last_speaker, candidates)
        return fallback, "no LLM to ask; next eligible agent in order"
    messages = selection_messages(groupchat, candidates)
    params = choice_constraint(client, names)
    answer = ""
    attempts = groupchat.max_retries_for_selecting_speaker + 1
    for attempt in range(1, attempts + 1):
        response = await client.a_create(messages=messages, **params)
        answer = _text(client, response)
        name = resolve_name(answer, names)
        if name is not None:
            agent = groupchat.agent_by_name(name)
            assert agent is not None
            return agent, f"the LLM answered {answer.strip()[:80]!r} (attempt {attempt})"
        messages = [
            *messages,
            {"role": "assistant", "content": answer},
            {"role": "user", "content": _feedback(answer, names)},
        ]
    fallback = groupchat.next_agent(last_speaker, candidates)
    return fallback, (
        f"the LLM named no single eligible agent in {attempts} attempts (last answer "
        f"{answer.strip()[:80]!r}); next eligible agent in order"
    )


def selection_messages(
    groupchat: GroupChat, candidates: Sequence[ConversableAgent]
) -> list[Message]:
    """System instruction, the transcript as plain text turns, and the final question."""
    role = groupchat.role_for_select_speaker_messages
    messages: list[Message] = [
        {"role": role, "content": groupchat.select_speaker_msg(candidates)}  # type: ignore[typeddict-item]
    ]
    for message in groupchat.messages:
        messages.append({"role": "user", "content": f"{message.get('name', '?')}: {_say(message)}"})
    prompt = groupchat.select_speaker_prompt(candidates)
    if prompt:
        messages.append({"role": role, "content": prompt})  # type: ignore[typeddict-item]
    return messages


def choice_constraint(client: OpenAIWrapper, names: list[str]) -> dict[str, Any]:
    """Request params that force the answer to be one of ``names`` where the model supports it."""
    clients = client.clients
    if clients and getattr(clients[0], "supports_choices", False):
        return {"choices": names}
    return {}


def _say(message: Message) -> str:
    text = content_str(message.get("content"))
    calls = message.get("tool_calls") or []
    if calls:
        text += " [calls " + ", ".join(c["function"]["name"] for c in calls) + "]"
    return text


def _text(client: OpenAIWrapper, response: Any) -> str:
    extracted = client.extract_text_or_completion_object(response)[0]
    return extracted if isinstance(extracted, str) else content_str(extracted.get("content"))


def _feedback(answer: str, names: list[str]) -> str:
    mentioned = mentioned_names(answer, names)
    if not mentioned:
        problem = "Your answer named none of the participants."
    else:
        problem = f"Your answer named several participants: {sorted(mentioned)}."
    return f"{problem} Answer with exactly one name from {names}, and nothing else."
