"""The "auto" strategy: an LLM names the next speaker, checked and retried with feedback."""

from __future__ import annotations

import json
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
    transcript: Sequence[Message] | None = None,
) -> tuple[ConversableAgent, str]:
    """Ask the selection model for one of ``candidates``; retry with feedback, then fall back.

    ``transcript`` is what the model reads (default: the group's messages).
    """
    client = groupchat.selector_client(selector)
    names = [a.name for a in candidates]
    if client is None:
        fallback = groupchat.next_agent(last_speaker, candidates)
        return fallback, "no LLM to ask; next eligible agent in order"
    messages = selection_messages(groupchat, candidates, transcript)
    answer = ""
    attempts = groupchat.max_retries_for_selecting_speaker + 1
    for attempt in range(1, attempts + 1):
        answer = await _a_ask(client, messages, names, groupchat)
        name = resolve_name(_structured_answer(answer), names)
        _report(groupchat, selector, attempt, attempts, answer, name)
        if name is not None:
            agent = groupchat.agent_by_name(name)
            assert agent is not None
            return agent, f"the LLM answered {answer.strip()[:80]!r} (attempt {attempt})"
        feedback: Message = {
            "role": groupchat.role_for_select_speaker_messages,  # type: ignore[typeddict-item]
            "content": _feedback(answer, names, groupchat),
        }
        messages = [*messages, {"role": "assistant", "content": answer}, feedback]
    fallback = groupchat.next_agent(last_speaker, candidates)
    return fallback, (
        f"the LLM named no single eligible agent in {attempts} attempts (last answer "
        f"{answer.strip()[:80]!r}); next eligible agent in order"
    )


async def _a_ask(
    client: OpenAIWrapper, messages: list[Message], names: list[str], groupchat: GroupChat
) -> str:
    """One question to the selection model, constrained to ``names`` as far as it can be."""
    reply = await client.a_create_choice(
        messages=messages,
        choices=names,
        json_schema=groupchat.structured_selection,
        schema_name="next_speaker",
        key="speaker",
    )
    if reply.schema_refused:
        # The server does not take a JSON schema: ask in free text from now on.
        groupchat.structured_selection = False
    return _text(client, reply.response)


def _report(
    groupchat: GroupChat,
    selector: ConversableAgent,
    attempt: int,
    attempts: int,
    answer: str,
    name: str | None,
) -> None:
    """With ``select_speaker_auto_verbose``, show each answer and whether it named one agent."""
    if not groupchat.select_speaker_auto_verbose:
        return
    outcome = f"selected {name}" if name is not None else "named no single eligible agent"
    selector.io.print(
        f"Speaker selection attempt {attempt} of {attempts}: the model answered "
        f"{answer.strip()!r}; {outcome}."
    )


def selection_messages(
    groupchat: GroupChat,
    candidates: Sequence[ConversableAgent],
    transcript: Sequence[Message] | None = None,
) -> list[Message]:
    """System instruction, the transcript as plain text turns, and the final question."""
    role = groupchat.role_for_select_speaker_messages
    messages: list[Message] = [
        {"role": role, "content": groupchat.select_speaker_msg(candidates)}  # type: ignore[typeddict-item]
    ]
    history = groupchat.messages if transcript is None else transcript
    for message in history:
        messages.append({"role": "user", "content": f"{message.get('name', '?')}: {_say(message)}"})
    prompt = groupchat.select_speaker_prompt(candidates)
    if prompt:
        messages.append({"role": role, "content": prompt})  # type: ignore[typeddict-item]
    return groupchat.transform_selection_messages(messages)


def _structured_answer(answer: str) -> str:
    """The speaker of a JSON answer, or the answer itself."""
    try:
        data = json.loads(answer)
    except ValueError:
        return answer
    speaker = data.get("speaker") if isinstance(data, dict) else None
    return speaker if isinstance(speaker, str) else answer


def _say(message: Message) -> str:
    text = content_str(message.get("content"))
    calls = message.get("tool_calls") or []
    if calls:
        text += " [calls " + ", ".join(c["function"]["name"] for c in calls) + "]"
    return text


def _text(client: OpenAIWrapper, response: Any) -> str:
    extracted = client.extract_text_or_completion_object(response)[0]
    return extracted if isinstance(extracted, str) else content_str(extracted.get("content"))


def _feedback(answer: str, names: list[str], groupchat: GroupChat) -> str:
    """The follow-up prompt: the "multiple" template when several names came back, else "none"."""
    if mentioned_names(answer, names):
        template = groupchat.select_speaker_auto_multiple_template
    else:
        template = groupchat.select_speaker_auto_none_template
    return template.format(agentlist=names)
