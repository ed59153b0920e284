"""Speaker selection: every method, graphs, repeats, manual input, LLM answers."""

import itertools
import random
from typing import Any

import pytest

from convogen import (
    AssistantAgent,
    ConfigError,
    ConversableAgent,
    GroupChat,
    GroupChatManager,
    ScriptedIO,
    StopReason,
)
from convogen.agents.termination import ends_with_terminate
from convogen.groupchat.names import resolve_name
from convogen.llm.scripted import scripted_llm_config


def member(name: str, reply: str | None = None) -> ConversableAgent:
    agent = ConversableAgent(
        name, llm_config=False, human_input_mode="NEVER", silent=True, description=f"{name} role"
    )
    agent.register_reply(ConversableAgent, lambda *a: (True, reply or f"{name} speaking"))
    return agent


def run(groupchat: GroupChat, manager_llm: Any = False, io: ScriptedIO | None = None) -> Any:
    manager = GroupChatManager(
        groupchat,
        llm_config=manager_llm,
        silent=True,
        io_stream=io,
        is_termination_msg=ends_with_terminate,
    )
    starter = groupchat.agents[0]
    return starter.initiate_chat(manager, message="start", silent=True), manager


def speakers(groupchat: GroupChat) -> list[str]:
    return [m["name"] for m in groupchat.messages]


def test_round_robin_goes_in_member_order() -> None:
    agents = [member(n) for n in "abc"]
    gc = GroupChat(agents, max_round=7, speaker_selection_method="round_robin")
    result, _ = run(gc)
    assert speakers(gc) == ["a", "b", "c", "a", "b", "c", "a"]
    assert result.stop_reason is StopReason.MAX_ROUND
    assert [s.method for s in gc.selection_log] == ["round_robin"] * 6
    assert gc.selection_log[0].reason == "next in order after a"


def test_termination_message_ends_the_group_chat() -> None:
    agents = [member("a"), member("b", "done TERMINATE"), member("c")]
    gc = GroupChat(agents, max_round=10, speaker_selection_method="round_robin")
    result, _ = run(gc)
    assert speakers(gc) == ["a", "b"]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.stopped_by == "b"


def test_agent_ending_its_turn_ends_the_chat() -> None:
    quitter = ConversableAgent("q", llm_config=False, human_input_mode="NEVER", silent=True)
    quitter.register_reply(ConversableAgent, lambda *a: (True, None))
    gc = GroupChat([member("a"), quitter], max_round=10, speaker_selection_method="round_robin")
    result, _ = run(gc)
    assert result.stop_reason is StopReason.NO_REPLY and result.stopped_by == "q"


def test_random_selection_respects_no_repeat() -> None:
    agents = [member(n) for n in "abcd"]
    gc = GroupChat(
        agents, max_round=40, speaker_selection_method="random", allow_repeat_speaker=False, seed=3
    )
    run(gc)
    names = speakers(gc)
    assert all(x != y for x, y in itertools.pairwise(names))
    assert set(names) == set("abcd")


def test_graph_restricted_selection_never_takes_an_illegal_transition() -> None:
    rng = random.Random(7)
    for trial in range(30):
        agents = [member(f"agent{i}") for i in range(6)]
        graph = {a: rng.sample([b for b in agents], rng.randint(1, 3)) for a in agents}
        method = rng.choice(["random", "round_robin", "auto"])
        choices = [a.name for a in agents] + ["nobody"]
        picks: Any = lambda messages, choices=choices: rng.choice(choices)  # noqa: E731
        gc = GroupChat(
            agents,
            max_round=15,
            speaker_selection_method=method,
            allowed_or_disallowed_speaker_transitions=graph,
            speaker_transitions_type="allowed",
            seed=trial,
        )
        run(gc, manager_llm=scripted_llm_config(picks))
        by_name = {a.name: a for a in agents}
        for before, after in itertools.pairwise(gc.messages):
            assert by_name[after["name"]] in graph[by_name[before["name"]]], (trial, method)


def test_disallowed_graph_is_inverted() -> None:
    a, b, c = member("a"), member("b"), member("c")
    gc = GroupChat(
        [a, b, c],
        max_round=9,
        speaker_selection_method="round_robin",
        allowed_or_disallowed_speaker_transitions={a: [b], b: [c, b], c: [c]},
        speaker_transitions_type="disallowed",
    )
    run(gc)
    assert speakers(gc) == ["a", "c", "a", "c", "a", "c", "a", "c", "a"]


def test_graph_without_exit_stops_with_no_eligible_speaker() -> None:
    a, b = member("a"), member("b")
    gc = GroupChat(
        [a, b],
        max_round=5,
        speaker_selection_method="round_robin",
        allowed_or_disallowed_speaker_transitions={a: [b], b: []},
        speaker_transitions_type="allowed",
    )
    result, _ = run(gc)
    assert speakers(gc) == ["a", "b"]
    assert result.stop_reason is StopReason.NO_ELIGIBLE_SPEAKER


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"speaker_selection_method": "loudest"}, "speaker_selection_method"),
        ({"max_round": 0}, "max_round"),
        ({"speaker_transitions_type": "sometimes"}, "speaker_transitions_type"),
        ({"allowed_or_disallowed_speaker_transitions": {}}, "speaker_transitions_type"),
        ({"max_retries_for_selecting_speaker": -1}, "max_retries_for_selecting_speaker"),
    ],
)
def test_invalid_group_chat_arguments(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        GroupChat([member("a"), member("b")], **kwargs)


def test_graph_members_and_duplicate_names_are_checked() -> None:
    a, b, outsider = member("a"), member("b"), member("x")
    with pytest.raises(ConfigError, match="not an agent of this group chat"):
        GroupChat(
            [a, b],
            allowed_or_disallowed_speaker_transitions={a: [outsider]},
            speaker_transitions_type="allowed",
        )
    with pytest.raises(ConfigError, match="unique"):
        GroupChat([a, member("a")])


def test_custom_selection_function_can_pick_delegate_and_end() -> None:
    a, b, c = member("a"), member("b"), member("c")
    calls: list[str] = []

    def choose(last: ConversableAgent, gc: GroupChat) -> Any:
        calls.append(last.name)
        if len(calls) == 1:
            return c
        if len(calls) == 2:
            return "round_robin"
        return None

    gc = GroupChat([a, b, c], max_round=10, speaker_selection_method=choose)
    result, _ = run(gc)
    assert speakers(gc) == ["a", "c", "a"]
    assert result.stop_reason is StopReason.NO_REPLY
    assert gc.selection_log[1].reason.startswith("custom function")


def test_custom_selection_returning_a_stranger_is_an_error() -> None:
    gc = GroupChat([member("a"), member("b")], speaker_selection_method=lambda last, gc: "zed")
    with pytest.raises(ConfigError, match="not a member"):
        run(gc)


def test_auto_selection_uses_the_llm_answer_and_records_the_reason() -> None:
    agents = [member("planner"), member("coder"), member("critic")]
    answers = iter(["coder", "The critic should go next.", "planner"])
    gc = GroupChat(agents, max_round=4)
    run(gc, manager_llm=scripted_llm_config(lambda messages: next(answers)))
    assert speakers(gc) == ["planner", "coder", "critic", "planner"]
    assert all(s.method == "auto" for s in gc.selection_log)
    assert "The critic should go next." in gc.selection_log[1].reason


def test_auto_selection_retries_with_feedback_then_falls_back() -> None:
    seen: list[Any] = []

    def confused(messages: list[Any]) -> str:
        seen.append(messages)
        return "either coder or critic" if len(seen) < 3 else "nobody knows"

    agents = [member("planner"), member("coder"), member("critic")]
    gc = GroupChat(agents, max_round=2, max_retries_for_selecting_speaker=2)
    run(gc, manager_llm=scripted_llm_config(confused))
    assert len(seen) == 3
    assert "several participants" in seen[1][-1]["content"]
    assert (
        "none of the participants" in seen[2][-1]["content"] or "several" in seen[2][-1]["content"]
    )
    assert speakers(gc) == ["planner", "coder"]  # fallback: next in order
    assert "no single eligible agent in 3 attempts" in gc.selection_log[0].reason


def test_auto_selection_prompt_lists_only_eligible_agents() -> None:
    seen: list[Any] = []
    a, b, c = member("a"), member("b"), member("c")

    def model(messages: list[Any]) -> str:
        seen.append(messages)
        return "c"

    gc = GroupChat(
        [a, b, c],
        max_round=2,
        allowed_or_disallowed_speaker_transitions={a: [b, c], b: [a], c: [a]},
        speaker_transitions_type="allowed",
    )
    run(gc, manager_llm=scripted_llm_config(model))
    system = seen[0][0]["content"]
    assert "['b', 'c']" in system and "a role" not in system


def test_manual_selection_by_number_name_and_deferral() -> None:
    agents = [member("a"), member("b"), member("c")]
    io = ScriptedIO(["3", "bogus", "b", ""])
    gc = GroupChat(agents, max_round=4, speaker_selection_method="manual")
    run(gc, manager_llm=scripted_llm_config(["a"]), io=io)
    assert speakers(gc) == ["a", "c", "b", "a"]
    assert "Invalid choice 'bogus'" in io.output
    assert [s.method for s in gc.selection_log] == ["manual", "manual", "auto"]
    assert gc.selection_log[2].reason.startswith("a person deferred to the LLM")


def test_function_call_filter_prefers_agents_that_can_execute() -> None:
    caller = ConversableAgent("caller", llm_config=False, human_input_mode="NEVER", silent=True)
    call = {"id": "1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}
    caller.register_reply(
        ConversableAgent, lambda *a: (True, {"content": None, "tool_calls": [call]})
    )
    runner = member("runner")
    runner.register_function({"lookup": lambda: "found"})
    other = member("other")
    gc = GroupChat([other, caller, runner], max_round=4)
    # The model always wants "other"; after the tool call only the runner is eligible.
    manager = GroupChatManager(gc, llm_config=scripted_llm_config(["caller", "other"]), silent=True)
    other.initiate_chat(manager, message="go", silent=True)
    assert speakers(gc) == ["other", "caller", "runner", "other"]
    assert gc.selection_log[1].reason == "the only eligible speaker"


def test_resolve_name() -> None:
    names = ["coder", "critic", "product_manager"]
    assert resolve_name(" Coder. ", names) == "coder"
    assert resolve_name("I think product manager should speak", names) == "product_manager"
    assert resolve_name("coder or critic", names) is None
    assert resolve_name("the encoder", names) is None


def test_send_introductions() -> None:
    agents = [member("a"), member("b")]
    gc = GroupChat(
        agents, max_round=2, speaker_selection_method="round_robin", send_introductions=True
    )
    _, manager = run(gc)
    first_seen_by_b = agents[1].chat_messages[manager][0]["content"]
    assert "a: a role" in first_seen_by_b and "b: b role" in first_seen_by_b


def test_assistant_agents_in_auto_group_chat_with_scripted_models() -> None:
    writer = AssistantAgent("writer", llm_config=scripted_llm_config(["a draft"]), silent=True)
    editor = AssistantAgent(
        "editor", llm_config=scripted_llm_config(["approved TERMINATE"]), silent=True
    )
    gc = GroupChat([writer, editor], max_round=5)
    manager = GroupChatManager(
        gc,
        llm_config=scripted_llm_config(["writer", "editor"]),
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    result = writer.initiate_chat(manager, message="write a slogan", silent=True)
    assert [m["name"] for m in gc.messages] == ["writer", "writer", "editor"]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.summary == "approved"


def test_auto_selection_uses_a_json_schema_on_openai_compatible_servers() -> None:
    from convogen.llm.test_server import Fault, OpenAICompatibleTestServer

    agents = [member("planner"), member("coder"), member("critic")]
    with OpenAICompatibleTestServer(replies=['{"speaker": "critic"}', "coder"]) as server:
        config = {
            "config_list": [{"model": "gpt-4o-mini", "base_url": server.base_url, "api_key": "x"}]
        }
        gc = GroupChat(agents, max_round=2)
        run(gc, manager_llm=config)
        schema = server.requests[0]["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["speaker"]["enum"] == ["planner", "coder", "critic"]
        assert speakers(gc) == ["planner", "critic"]
    with OpenAICompatibleTestServer(replies=["coder"], faults=[Fault.bad_request()]) as server:
        config = {
            "config_list": [{"model": "gpt-4o-mini", "base_url": server.base_url, "api_key": "x"}]
        }
        gc = GroupChat(agents, max_round=2)
        run(gc, manager_llm=config)
        assert "response_format" in server.requests[0]
        assert "response_format" not in server.requests[1]
        assert gc.structured_selection is False
        assert speakers(gc) == ["planner", "coder"]
