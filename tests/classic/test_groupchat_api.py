"""The classic GroupChat / GroupChatManager methods, graph_utils and exception_utils."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from convogen import ConversableAgent
from convogen.agentchat.groupchat import GroupChat, GroupChatManager
from convogen.errors import ChatError, ConfigError
from convogen.exception_utils import (
    AgentNameConflict,
    InvalidCarryOverType,
    NoEligibleSpeaker,
    SenderRequired,
    UndefinedNextAgent,
)
from convogen.graph_utils import (
    check_graph_validity,
    has_self_loops,
    invert_disallowed_to_allowed,
    visualize_speaker_transitions_dict,
)
from convogen.llm.scripted import scripted_llm_config


def member(name: str, reply: str | None = None) -> ConversableAgent:
    agent = ConversableAgent(
        name, llm_config=False, human_input_mode="NEVER", silent=True, description=f"{name} role"
    )
    agent.register_reply(ConversableAgent, lambda *a: (True, reply or f"{name} speaking"))
    return agent


def team(*names: str) -> list[ConversableAgent]:
    return [member(n) for n in names]


# ------------------------------------------------------------ exception_utils
@pytest.mark.parametrize(
    ("error", "message"),
    [
        (AgentNameConflict, "Found multiple agents with the same name."),
        (NoEligibleSpeaker, "No eligible speakers."),
        (SenderRequired, "Sender is required but not provided."),
        (UndefinedNextAgent, "The provided agents list does not overlap with agents in the group."),
    ],
)
def test_classic_errors_have_the_classic_default_messages(error: type, message: str) -> None:
    assert str(error()) == message


def test_invalid_carryover_type_default_message_names_the_allowed_types() -> None:
    assert InvalidCarryOverType().message.startswith("Carryover should be a string or a list")


def test_classic_errors_are_caught_by_convogen_error_classes() -> None:
    assert issubclass(AgentNameConflict, ConfigError)
    assert issubclass(UndefinedNextAgent, ConfigError)
    assert issubclass(InvalidCarryOverType, ConfigError)
    assert issubclass(NoEligibleSpeaker, ChatError)
    assert issubclass(SenderRequired, ChatError)


# ------------------------------------------------------------------ members
def test_duplicate_member_names_raise_agent_name_conflict() -> None:
    with pytest.raises(AgentNameConflict, match=r"\['a'\]"):
        GroupChat([member("a"), member("a")], [])


def test_agent_by_name_searches_nested_teams_when_recursive() -> None:
    inner = GroupChat(team("x", "y"), [])
    inner_manager = GroupChatManager(inner, name="inner", llm_config=False)
    outer = GroupChat([member("a"), inner_manager], [])
    assert outer.agent_by_name("x") is None
    assert outer.agent_by_name("x", recursive=True) is inner.agents[0]
    assert [a.name for a in outer.nested_agents()] == ["a", "inner", "x", "y"]


def test_agent_by_name_can_raise_on_a_nested_name_conflict() -> None:
    inner = GroupChatManager(GroupChat(team("a", "y"), []), name="inner", llm_config=False)
    outer = GroupChat([member("a"), inner], [])
    assert outer.agent_by_name("a", recursive=True) is outer.agents[0]
    with pytest.raises(AgentNameConflict):
        outer.agent_by_name("a", recursive=True, raise_on_name_conflict=True)


def test_next_agent_wraps_around_and_skips_agents_outside_the_pool() -> None:
    a, b, c = team("a", "b", "c")
    gc = GroupChat([a, b, c], [])
    assert gc.next_agent(c) is a
    assert gc.next_agent(a, [a, c]) is c


def test_next_agent_refuses_a_pool_with_strangers() -> None:
    gc = GroupChat(team("a", "b"), [])
    with pytest.raises(UndefinedNextAgent, match="subset"):
        gc.next_agent(gc.agents[0], [member("stranger")])


def test_agent_names_and_the_transitions_dict_without_a_graph() -> None:
    a, b = team("a", "b")
    gc = GroupChat([a, b], [], allow_repeat_speaker=[b])
    assert gc.agent_names == ["a", "b"]
    assert gc.allowed_speaker_transitions_dict == {a: [b], b: [a, b]}


# ---------------------------------------------------------------- selection
def test_select_speaker_without_a_model_falls_back_to_the_next_in_order() -> None:
    a, b, c = team("a", "b", "c")
    gc = GroupChat([a, b, c], [{"role": "user", "name": "a", "content": "hi"}])
    selector = ConversableAgent("sel", llm_config=False)
    assert gc.select_speaker(a, selector) is b


async def test_a_select_speaker_raises_no_eligible_speaker_when_the_function_returns_none() -> None:
    gc = GroupChat(team("a", "b"), [], speaker_selection_method=lambda *_: None)
    with pytest.raises(NoEligibleSpeaker):
        await gc.a_select_speaker(gc.agents[0], ConversableAgent("sel", llm_config=False))


async def test_a_auto_select_speaker_reads_the_messages_it_is_given() -> None:
    seen: list[Any] = []

    def model(messages: list[Any]) -> str:
        seen.append(messages)
        return "b"

    a, b, c = team("a", "b", "c")
    gc = GroupChat([a, b, c], [])
    selector = ConversableAgent("sel", llm_config=scripted_llm_config(model))
    given = [{"role": "user", "name": "a", "content": "only this"}]
    assert await gc.a_auto_select_speaker(a, selector, given, [b, c]) is b  # type: ignore[list-item]
    assert any("only this" in m["content"] for m in seen[0])
    assert "['b', 'c']" in seen[0][0]["content"]


def test_random_select_speaker_picks_from_the_given_agents() -> None:
    a, b, c = team("a", "b", "c")
    gc = GroupChat([a, b, c], [], seed=1)
    assert {gc.random_select_speaker([b, c]) for _ in range(20)} == {b, c}


def test_select_speaker_prompt_is_none_for_an_empty_template() -> None:
    gc = GroupChat(team("a", "b"), [], select_speaker_prompt_template="")
    assert gc.select_speaker_prompt() is None


@pytest.mark.parametrize(
    "field",
    ["select_speaker_auto_multiple_template", "select_speaker_auto_none_template"],
)
def test_empty_retry_templates_are_refused(field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        GroupChat(team("a", "b"), [], **{field: ""})


def test_transitions_type_without_a_graph_warns_that_it_has_no_effect() -> None:
    with pytest.warns(UserWarning, match="no effect"):
        GroupChat(team("a", "b"), [], speaker_transitions_type="allowed")


def test_transitions_type_is_case_insensitive() -> None:
    a, b = team("a", "b")
    gc = GroupChat(
        [a, b],
        [],
        allowed_or_disallowed_speaker_transitions={a: [b]},
        speaker_transitions_type="ALLOWED",
    )
    assert gc.speaker_transitions_type == "allowed"


def test_manager_refuses_tools_in_its_llm_config() -> None:
    gc = GroupChat(team("a", "b"), [])
    with pytest.raises(ConfigError, match="no tool or function calls"):
        GroupChatManager(gc, llm_config={"model": "m", "tools": [{"type": "function"}]})


# ------------------------------------------------------------------ resume
def round_robin_team() -> tuple[list[ConversableAgent], GroupChat, GroupChatManager]:
    agents = [member("a"), member("b"), member("c", "c done TERMINATE")]
    gc = GroupChat(agents, [], max_round=10, speaker_selection_method="round_robin")
    manager = GroupChatManager(
        gc, llm_config=False, silent=True, is_termination_msg=lambda m: "TERMINATE" in m["content"]
    )
    return agents, gc, manager


def test_resume_accepts_the_groupchats_own_message_list() -> None:
    agents, gc, manager = round_robin_team()
    agents[0].initiate_chat(manager, message="start")
    saved = list(gc.messages)
    last_agent, last_message = manager.resume(messages=gc.messages, silent=True)
    assert last_agent is agents[2]
    assert last_message["content"] == saved[-1]["content"]
    assert [m["content"] for m in gc.messages] == [m["content"] for m in saved[:-1]]


def test_resume_from_a_string_saved_by_messages_to_string() -> None:
    agents, gc, manager = round_robin_team()
    agents[0].initiate_chat(manager, message="start")
    saved = manager.messages_to_string(gc.messages)
    _, fresh_gc, fresh_manager = round_robin_team()
    last_agent, last_message = fresh_manager.resume(saved, "TERMINATE", silent=True)
    assert last_agent.name == "c" and last_message["content"] == "c done "
    assert fresh_manager.messages_from_string(saved) == json.loads(saved)
    assert [m["name"] for m in fresh_gc.messages] == ["a", "b"]


def test_resume_accepts_messages_from_the_manager_and_the_admin() -> None:
    _, gc, manager = round_robin_team()
    last_agent, _ = manager.resume(
        [{"content": "intro"}, {"name": "Admin", "content": "go"}], silent=True
    )
    assert last_agent is manager
    assert gc.messages[0]["name"] == "chat_manager"


def test_messages_from_string_names_the_bad_input() -> None:
    _, _, manager = round_robin_team()
    with pytest.raises(ConfigError, match="message_string"):
        manager.messages_from_string("{not json")


async def test_a_resume_then_a_initiate_chat_continues_the_chat() -> None:
    _, gc, manager = round_robin_team()
    saved = [{"name": "a", "content": "start"}, {"name": "b", "content": "b earlier"}]
    last_agent, last_message = await manager.a_resume(saved, None, silent=True)
    await last_agent.a_initiate_chat(manager, message=last_message, clear_history=False)
    assert [m["name"] for m in gc.messages] == ["a", "b", "c"]


def test_run_chat_runs_the_group_from_a_given_message() -> None:
    agents, gc, manager = round_robin_team()
    result = manager.run_chat([{"role": "user", "content": "go"}], agents[0], gc)
    assert result == (True, None)
    assert [m["name"] for m in gc.messages] == ["a", "b", "c"]


# ------------------------------------------------------------ clear history
def test_clear_history_command_clears_every_agent_and_is_cut_from_the_reply() -> None:
    a, b = member("a"), member("b", "clear history and continue")
    gc = GroupChat(
        [a, b], [], max_round=3, speaker_selection_method="round_robin", enable_clear_history=True
    )
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    a.initiate_chat(manager, message="start")
    assert [m["content"] for m in gc.messages] == ["and continue", "a speaking"]
    assert [m["content"] for m in a.chat_messages[manager]] == ["and continue", "a speaking"]


def test_clear_history_command_is_left_alone_unless_enabled() -> None:
    a, b = member("a"), member("b", "clear history now")
    gc = GroupChat([a, b], [], max_round=2, speaker_selection_method="round_robin")
    a.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="start")
    assert [m["content"] for m in gc.messages] == ["start", "clear history now"]


def test_clear_agents_history_for_one_agent_keeping_the_last_messages() -> None:
    agents, gc, manager = round_robin_team()
    b = agents[1]
    manager.resume(
        [
            {"name": "a", "content": "1"},
            {"name": "c", "content": "2"},
            {"name": "a", "content": "3"},
        ],
        silent=True,
    )
    text = manager.clear_agents_history({"content": "please clear history b 1. thanks"}, gc)
    assert text == "please thanks"
    assert [m["content"] for m in b.chat_messages[manager]] == ["2"]
    assert len(gc.messages) == 2


# --------------------------------------------------------------- graph_utils
def test_invert_disallowed_to_allowed_keeps_every_other_transition() -> None:
    a, b, c = team("a", "b", "c")
    assert invert_disallowed_to_allowed({a: [b]}, [a, b, c]) == {
        a: [a, c],
        b: [a, b, c],
        c: [a, b, c],
    }


def test_has_self_loops() -> None:
    a, b = team("a", "b")
    assert has_self_loops({a: [a, b]}) and not has_self_loops({a: [b], b: [a]})


def test_check_graph_validity_refuses_names_instead_of_agents() -> None:
    a, b = team("a", "b")
    with pytest.raises(ConfigError, match="must be an agent"):
        check_graph_validity({a: ["b"]}, [a, b])
    with pytest.raises(ConfigError, match="not an agent of this group chat"):
        check_graph_validity({member("z"): [a]}, [a, b])


def test_check_graph_validity_warns_about_isolated_agents(caplog: pytest.LogCaptureFixture) -> None:
    a, b, c = team("a", "b", "c")
    with caplog.at_level(logging.WARNING):
        check_graph_validity({a: [b], b: [a]}, [a, b, c])
    assert "['c']" in caplog.text and "no transition in or out" in caplog.text


def test_visualize_without_networkx_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_networkx(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("networkx", "matplotlib.pyplot"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_networkx)
    a, b = team("a", "b")
    with pytest.raises(ImportError, match="pip install networkx matplotlib"):
        visualize_speaker_transitions_dict({a: [b]}, [a, b])
