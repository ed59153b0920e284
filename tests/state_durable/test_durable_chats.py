"""Durable chats: persisted steps, resume after a crash, pause for a person, finished runs."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from durable_scenario import STEPS, build

from convogen import (
    AssistantAgent,
    ConversableAgent,
    GroupChat,
    GroupChatManager,
    ScriptedIO,
    StopReason,
    UserProxyAgent,
)
from convogen.agents.termination import ends_with_terminate
from convogen.llm.scripted import scripted_llm_config
from convogen.state.durable import DurableReplayError, HumanInputPendingError, run_durable
from convogen.state.store import SQLiteCheckpointStore


class SimulatedCrash(BaseException):
    """Stands for the process dying (not an Exception, so nothing catches it)."""


def crashing_team(log: Path, crash_at: int) -> tuple[UserProxyAgent, AssistantAgent]:
    """The scenario's agents, with the tool dying when it reaches step ``crash_at``."""
    user, assistant = build(log)
    original = user.tools.remove("record_step")

    def crashing(step: int) -> str:
        if step == crash_at:
            raise SimulatedCrash
        return original.func(step=step)  # type: ignore[no-any-return]

    user.function_map["record_step"] = crashing
    return user, assistant


def start(user: UserProxyAgent, assistant: AssistantAgent, message: str = "go") -> Any:
    """The chat factory a durable run calls (each time it runs or resumes)."""
    return lambda: user.a_initiate_chat(assistant, message=message)


def transcript(result: Any) -> list[tuple[Any, ...]]:
    return [(m.get("name"), m.get("role"), m.get("content")) for m in result.chat_history]


def test_durable_chat_persists_every_message_and_effect(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    user, assistant = build(tmp_path / "log.txt")
    result = run_durable(store, "r1", lambda: user.a_initiate_chat(assistant, message="go"))
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    entries = store.messages("r1")
    messages = [e for e in entries if e["type"] == "message"]
    effects = [e for e in entries if e["type"] == "effect"]
    assert len(messages) == len(result.chat_history) == 2 * STEPS + 2
    assert [e["kind"] for e in effects].count("tool") == STEPS
    record = store.get_run("r1")
    assert record is not None and record.status == "finished"


def test_finished_run_returns_its_result_without_running_again(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    user, assistant = build(tmp_path / "log.txt")
    first = run_durable(store, "r1", lambda: user.a_initiate_chat(assistant, message="go"))

    async def must_not_run() -> Any:
        raise AssertionError("a finished run was executed again")

    again = run_durable(store, "r1", must_not_run)
    assert transcript(again) == transcript(first)
    assert again.stop_reason is StopReason.TERMINATION_MESSAGE and again.cost == first.cost


def test_resume_after_crash_matches_the_uninterrupted_run(tmp_path: Path) -> None:
    reference_user, reference_assistant = build(tmp_path / "ref.txt")
    reference = reference_user.initiate_chat(reference_assistant, message="go")
    for crash_at in (0, 3, STEPS - 1):
        store = SQLiteCheckpointStore(tmp_path / f"crash{crash_at}.db")
        log = tmp_path / f"log{crash_at}.txt"
        with pytest.raises(SimulatedCrash):
            run_durable(store, "run", start(*crashing_team(log, crash_at)))
        # record_step may run twice (the step cut off by the crash runs again on resume).
        resumed = run_durable(
            store, "run", start(*build(log)), idempotent_tools=["record_step"]
        )  # a new process, same code
        assert transcript(resumed) == transcript(reference)
        starts = [line for line in log.read_text().splitlines() if line.startswith("start")]
        assert starts == [f"start {i}" for i in range(STEPS)]  # no completed step ran twice


def test_pause_for_human_input_and_resume_with_the_answer(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")

    def agents() -> tuple[UserProxyAgent, AssistantAgent]:
        bot = AssistantAgent(
            "bot",
            llm_config=scripted_llm_config(
                lambda msgs: (
                    "Final: " + str(msgs[-1]["content"]) + " TERMINATE"
                    if len(msgs) > 2
                    else "Which colour?"
                )
            ),
            silent=True,
        )
        person = UserProxyAgent(
            "person",
            code_execution_config=False,
            silent=True,
            io_stream=ScriptedIO([]),
            is_termination_msg=ends_with_terminate,
        )
        return person, bot

    person, bot = agents()
    paused = run_durable(
        store,
        "ask",
        lambda: person.a_initiate_chat(bot, message="paint"),
        pause_for_human_input=True,
    )
    assert paused.stop_reason is StopReason.PAUSED and paused.stopped_by == "person"
    assert store.get_run("ask").status == "paused"  # type: ignore[union-attr]
    with pytest.raises(HumanInputPendingError, match="person"):
        run_durable(store, "ask", lambda: person.a_initiate_chat(bot, message="paint"))
    person, bot = agents()  # later, another process
    done = run_durable(
        store,
        "ask",
        lambda: person.a_initiate_chat(bot, message="paint"),
        answer="blue",
        pause_for_human_input=True,
    )
    assert [m["content"] for m in done.chat_history][:3] == ["paint", "Which colour?", "blue"]
    assert done.chat_history[-1]["content"] == "Final: blue TERMINATE"
    assert done.stop_reason is StopReason.PAUSED  # the person is asked again
    person, bot = agents()
    finished = run_durable(
        store, "ask", lambda: person.a_initiate_chat(bot, message="paint"), answer="exit"
    )
    assert finished.stop_reason is StopReason.HUMAN_EXIT
    assert finished.human_input == ["blue", "exit"]
    assert store.get_run("ask").status == "finished"  # type: ignore[union-attr]


def test_group_chat_with_random_selection_resumes_exactly(tmp_path: Path) -> None:
    crash = {"armed": True}

    def team() -> tuple[ConversableAgent, GroupChatManager, GroupChat]:
        members = []
        for name in "abcd":
            agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)

            def speak(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
                if len(messages) > 6 and crash["armed"]:
                    crash["armed"] = False
                    raise SimulatedCrash
                return True, f"{recipient.name} after {len(messages)}"

            agent.register_reply(ConversableAgent, speak)
            members.append(agent)
        gc = GroupChat(members, max_round=12, speaker_selection_method="random")  # unseeded
        return (
            members[0],
            GroupChatManager(
                gc, llm_config=False, silent=True, is_termination_msg=ends_with_terminate
            ),
            gc,
        )

    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    starter, manager, _ = team()
    with pytest.raises(SimulatedCrash):
        run_durable(store, "g", lambda: starter.a_initiate_chat(manager, message="go"))
    starter, manager, gc = team()
    resumed = run_durable(store, "g", lambda: starter.a_initiate_chat(manager, message="go"))
    journaled = [e for e in store.messages("g") if e["type"] == "effect"]
    picks = [e["result"] for e in journaled if e["kind"] == "random"]
    assert len(picks) == 11 and resumed.stop_reason is StopReason.MAX_ROUND
    # The resumed transcript follows the journaled random picks exactly.
    names = [m["name"] for m in gc.messages]
    assert names == ["a"] + ["abcd"[pick] for pick in picks]


def test_changed_chat_code_is_detected_on_resume(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    with pytest.raises(SimulatedCrash):
        run_durable(store, "run", start(*crashing_team(tmp_path / "log.txt", 2)))
    with pytest.raises(DurableReplayError, match="effect #0"):
        run_durable(store, "run", start(*build(tmp_path / "log.txt"), message="changed"))


def test_sequential_and_nested_chats_resume_mid_way(tmp_path: Path) -> None:
    crash = {"armed": True}

    def team() -> tuple[UserProxyAgent, list[AssistantAgent]]:
        def model(name: str) -> Any:
            def reply(messages: list[Any]) -> str:
                if name == "inner" and crash["armed"]:
                    crash["armed"] = False
                    raise SimulatedCrash
                return f"{name} answers {len(messages)} TERMINATE"

            return scripted_llm_config(reply)

        user = UserProxyAgent(
            "user",
            human_input_mode="NEVER",
            code_execution_config=False,
            is_termination_msg=ends_with_terminate,
        )
        first = AssistantAgent("first", llm_config=model("first"))
        second = AssistantAgent("second", llm_config=model("second"))
        inner = AssistantAgent("inner", llm_config=model("inner"))
        second.register_nested_chats([{"recipient": inner, "max_turns": 1}], trigger=user)
        for agent in (user, first, second, inner):
            agent.silent = True
        return user, [first, second]

    def chats(user: UserProxyAgent, bots: list[AssistantAgent]) -> Any:
        async def run() -> Any:
            results = await user.a_initiate_chats(
                [
                    {"recipient": bots[0], "message": "one", "max_turns": 1},
                    {"recipient": bots[1], "message": "two", "max_turns": 1},
                ]
            )
            return results[-1]

        return run

    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    with pytest.raises(SimulatedCrash):
        run_durable(store, "seq", chats(*team()))
    resumed = run_durable(store, "seq", chats(*team()))
    crash["armed"] = False
    reference = asyncio.run(chats(*team())())
    assert transcript(resumed) == transcript(reference)
    assert resumed.chat_history[0]["content"].startswith("two\nContext: \nfirst answers")
    assert resumed.chat_history[-1]["content"].startswith("inner answers")


def test_scripted_list_replies_stay_in_step_after_resume(tmp_path: Path) -> None:
    crash = {"armed": True}

    def team() -> tuple[UserProxyAgent, AssistantAgent]:
        bot = AssistantAgent(
            "bot", llm_config=scripted_llm_config(["one", "two", "three TERMINATE"]), silent=True
        )
        user = UserProxyAgent(
            "user",
            human_input_mode="NEVER",
            code_execution_config=False,
            is_termination_msg=ends_with_terminate,
        )
        user.silent = True

        def maybe_crash(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
            if len(messages) == 4 and crash["armed"]:
                crash["armed"] = False
                raise SimulatedCrash
            return False, None

        user.register_reply(AssistantAgent, maybe_crash)
        return user, bot

    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    with pytest.raises(SimulatedCrash):
        run_durable(store, "list", start(*team()))
    resumed = run_durable(store, "list", start(*team()))
    bot_says = [m["content"] for m in resumed.chat_history if m["name"] == "bot"]
    assert bot_says == ["one", "two", "three TERMINATE"]
