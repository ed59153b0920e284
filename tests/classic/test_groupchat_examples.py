"""AutoGen 0.2's group chat examples, run through the classic import paths."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from convogen import AssistantAgent, ConversableAgent, UserProxyAgent
from convogen.agentchat.groupchat import GroupChat, GroupChatManager
from convogen.llm.scripted import scripted_llm_config


def assistant(name: str, *replies: str) -> AssistantAgent:
    return AssistantAgent(
        name,
        llm_config=scripted_llm_config(list(replies) or [f"{name} here"] * 20),
        description=f"{name} of the team",
        silent=True,
    )


def user_proxy() -> UserProxyAgent:
    return UserProxyAgent(
        "user_proxy",
        human_input_mode="NEVER",
        code_execution_config=False,
        default_auto_reply="go on",
        silent=True,
    )


def speakers(groupchat: GroupChat) -> list[str]:
    return [m["name"] for m in groupchat.messages]


def test_round_robin_team_speaks_in_member_order() -> None:
    user = user_proxy()
    coder, critic = assistant("coder"), assistant("critic")
    gc = GroupChat(
        agents=[user, coder, critic],
        messages=[],
        max_round=5,
        speaker_selection_method="round_robin",
    )
    manager = GroupChatManager(groupchat=gc, llm_config=False)
    user.initiate_chat(manager, message="Write a haiku.")
    assert speakers(gc) == ["user_proxy", "coder", "critic", "user_proxy", "coder"]


def test_random_selection_with_the_same_seed_repeats_the_same_order() -> None:
    def order(seed: int) -> list[str]:
        agents = [assistant(n) for n in ("a", "b", "c", "d")]
        gc = GroupChat(agents, [], max_round=8, speaker_selection_method="random", seed=seed)
        agents[0].initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="hi")
        return speakers(gc)

    assert order(7) == order(7)


def test_random_selection_without_repeats_never_picks_the_last_speaker() -> None:
    agents = [assistant(n) for n in ("a", "b", "c")]
    gc = GroupChat(
        agents, [], max_round=12, speaker_selection_method="random", allow_repeat_speaker=False
    )
    agents[0].initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="hi")
    names = speakers(gc)
    assert all(x != y for x, y in itertools.pairwise(names))


def test_manual_selection_reads_the_choice_from_standard_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter(["3", "2"])
    monkeypatch.setattr("builtins.input", lambda *_: next(answers))
    user = user_proxy()
    a, b = assistant("a"), assistant("b")
    gc = GroupChat([user, a, b], [], max_round=3, speaker_selection_method="manual")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    user.initiate_chat(manager, message="pick")
    assert speakers(gc) == ["user_proxy", "b", "a"]


def test_manual_select_speaker_returns_none_when_the_person_defers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("builtins.input", lambda *_: "q")
    gc = GroupChat([assistant("a"), assistant("b")], [])
    assert gc.manual_select_speaker() is None


def test_custom_speaker_selection_function_drives_a_state_flow() -> None:
    user = user_proxy()
    planner, engineer, executor = assistant("planner"), assistant("engineer"), assistant("executor")

    def state_transition(last_speaker: Any, groupchat: GroupChat) -> Any:
        if last_speaker is user:
            return planner
        if last_speaker is planner:
            return engineer
        if last_speaker is engineer:
            return executor
        return None  # ends the conversation

    gc = GroupChat(
        [user, planner, engineer, executor],
        [],
        max_round=10,
        speaker_selection_method=state_transition,
    )
    user.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="task")
    assert speakers(gc) == ["user_proxy", "planner", "engineer", "executor"]


def test_custom_function_may_delegate_to_a_builtin_method_by_name() -> None:
    agents = [assistant(n) for n in ("a", "b", "c")]
    gc = GroupChat(agents, [], max_round=4, speaker_selection_method=lambda *_: "round_robin")
    agents[0].initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="x")
    assert speakers(gc) == ["a", "b", "c", "a"]


def test_allowed_transitions_graph_is_followed() -> None:
    a, b, c = assistant("a"), assistant("b"), assistant("c")
    gc = GroupChat(
        [a, b, c],
        [],
        max_round=6,
        allowed_or_disallowed_speaker_transitions={a: [c], c: [b], b: [a]},
        speaker_transitions_type="allowed",
    )
    a.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="x")
    assert speakers(gc) == ["a", "c", "b", "a", "c", "b"]


def test_disallowed_transitions_graph_is_inverted() -> None:
    a, b, c = assistant("a"), assistant("b"), assistant("c")
    gc = GroupChat(
        [a, b, c],
        [],
        max_round=5,
        speaker_selection_method="round_robin",
        allowed_or_disallowed_speaker_transitions={a: [a, b], b: [b, c], c: [c, a]},
        speaker_transitions_type="disallowed",
    )
    a.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="x")
    assert speakers(gc) == ["a", "c", "b", "a", "c"]
    assert gc.allowed_speaker_transitions_dict[a] == [c]


def test_auto_selection_asks_the_managers_model() -> None:
    user = user_proxy()
    coder, critic = assistant("coder"), assistant("critic")
    gc = GroupChat([user, coder, critic], [], max_round=3)
    manager = GroupChatManager(gc, llm_config=scripted_llm_config(["critic", "coder"]))
    user.initiate_chat(manager, message="review this")
    assert speakers(gc) == ["user_proxy", "critic", "coder"]


def test_auto_selection_uses_the_classic_templates() -> None:
    seen: list[Any] = []

    def model(messages: list[Any]) -> str:
        seen.append(messages)
        return "coder"

    coder, critic = assistant("coder"), assistant("critic")
    gc = GroupChat(
        [coder, critic],
        [],
        max_round=2,
        select_speaker_message_template="ROLES {roles} LIST {agentlist}",
        select_speaker_prompt_template="NOW PICK FROM {agentlist}",
        role_for_select_speaker_messages="user",
    )
    coder.initiate_chat(GroupChatManager(gc, llm_config=scripted_llm_config(model)), message="x")
    first, last = seen[0][0], seen[0][-1]
    assert first == {
        "role": "user",
        "content": "ROLES coder: coder of the team\ncritic: critic of the team LIST "
        "['coder', 'critic']",
    }
    assert last == {"role": "user", "content": "NOW PICK FROM ['coder', 'critic']"}


def test_auto_selection_retries_with_the_multiple_and_none_templates() -> None:
    seen: list[Any] = []
    answers = iter(["coder or critic", "no idea", "critic"])

    def model(messages: list[Any]) -> str:
        seen.append(messages)
        return next(answers)

    coder, critic = assistant("coder"), assistant("critic")
    gc = GroupChat(
        [coder, critic],
        [],
        max_round=2,
        select_speaker_auto_multiple_template="ONE ONLY {agentlist}",
        select_speaker_auto_none_template="NONE GIVEN {agentlist}",
    )
    coder.initiate_chat(GroupChatManager(gc, llm_config=scripted_llm_config(model)), message="x")
    assert seen[1][-1]["content"] == "ONE ONLY ['coder', 'critic']"
    assert seen[2][-1]["content"] == "NONE GIVEN ['coder', 'critic']"
    assert speakers(gc) == ["coder", "critic"]


def test_auto_selection_gives_up_after_max_retries_and_takes_the_next_in_order() -> None:
    calls: list[int] = []

    def model(messages: list[Any]) -> str:
        calls.append(1)
        return "nobody"

    a, b, c = assistant("a"), assistant("b"), assistant("c")
    gc = GroupChat([a, b, c], [], max_round=2, max_retries_for_selecting_speaker=1)
    a.initiate_chat(GroupChatManager(gc, llm_config=scripted_llm_config(model)), message="x")
    assert len(calls) == 2
    assert speakers(gc) == ["a", "b"]


def test_select_speaker_auto_llm_config_gives_the_selector_its_own_model() -> None:
    a, b = assistant("a"), assistant("b")
    gc = GroupChat(
        [a, b], [], max_round=2, select_speaker_auto_llm_config=scripted_llm_config(["b"])
    )
    manager = GroupChatManager(gc, llm_config=scripted_llm_config(["a"]))
    a.initiate_chat(manager, message="x")
    assert speakers(gc) == ["a", "b"]


def test_select_speaker_auto_verbose_prints_each_attempt() -> None:
    from convogen.agents.io import ScriptedIO

    io = ScriptedIO()
    a, b = assistant("a"), assistant("b")
    gc = GroupChat([a, b], [], max_round=2, select_speaker_auto_verbose=True)
    manager = GroupChatManager(
        gc, llm_config=scripted_llm_config(["a and b", "b"]), io_stream=io, silent=True
    )
    a.initiate_chat(manager, message="x")
    assert "attempt 1 of 3" in io.output and "named no single eligible agent" in io.output
    assert "attempt 2 of 3" in io.output and "selected b" in io.output


def test_select_speaker_transform_messages_rewrites_what_the_selector_reads() -> None:
    seen: list[Any] = []

    def model(messages: list[Any]) -> str:
        seen.append(messages)
        return "b"

    class KeepLastTwo:
        def apply_transform(self, messages: list[Any]) -> list[Any]:
            return messages[-2:]

    a, b = assistant("a"), assistant("b")
    gc = GroupChat([a, b], [], max_round=2, select_speaker_transform_messages=KeepLastTwo())
    a.initiate_chat(GroupChatManager(gc, llm_config=scripted_llm_config(model)), message="x")
    assert len(seen[0]) == 2


def test_send_introductions_tells_every_member_who_is_in_the_team() -> None:
    a, b = assistant("a"), assistant("b")
    gc = GroupChat(
        [a, b], [], max_round=2, speaker_selection_method="round_robin", send_introductions=True
    )
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    a.initiate_chat(manager, message="x")
    intro = b.chat_messages[manager][0]["content"]
    assert intro == gc.introductions_msg()
    assert intro.startswith(GroupChat.DEFAULT_INTRO_MSG) and "b: b of the team" in intro


def test_last_speaker_names_the_real_sender_of_a_relayed_message() -> None:
    seen: list[tuple[str, str]] = []

    def note(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, None]:
        seen.append((messages[-1]["content"], sender.last_speaker.name))
        return False, None

    a, b = assistant("a", "from a"), assistant("b", "from b")
    b.register_reply([ConversableAgent, None], note)
    gc = GroupChat([a, b], [], max_round=3, speaker_selection_method="round_robin")
    a.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="hello")
    assert seen[0] == ("hello", "a")


async def test_async_group_chat_runs_with_a_initiate_chat() -> None:
    a, b = assistant("a"), assistant("b")
    gc = GroupChat([a, b], [], max_round=3, speaker_selection_method="round_robin")
    await a.a_initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="x")
    assert speakers(gc) == ["a", "b", "a"]
