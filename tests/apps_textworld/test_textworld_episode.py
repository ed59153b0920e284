"""Episodes with the three agents: assistant acts, executor runs, grounding agent hints."""

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from convogen import ConfigError
from convogen.apps.textworld import (
    CLEAN_MUG_PLAN,
    HouseholdEnv,
    commonsense_hint,
    parse_action,
    run_episode,
    scripted_plan_assistant,
)
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import content_str

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def planner(plan: list[str]) -> dict[str, Any]:
    return scripted_llm_config(scripted_plan_assistant(plan))


def test_a_scripted_plan_solves_the_episode() -> None:
    result = run_episode(HouseholdEnv(), planner(list(CLEAN_MUG_PLAN)), max_steps=20)
    assert result.success and result.steps == len(CLEAN_MUG_PLAN)
    assert result.actions == list(CLEAN_MUG_PLAN)
    assert result.observations[-1] == "You put the mug 1 on the diningtable 1."
    assert result.hints == []
    assert result.chat_result is not None
    speakers = [m.get("name") for m in result.chat_result.chat_history]
    assert speakers[:3] == ["executor", "assistant", "executor"]
    assert "grounding" not in speakers


def test_the_grounding_agent_speaks_after_two_failures_in_a_row() -> None:
    plan = [
        "take mug 1 from cabinet 1",
        "look",
        "take mug 1 from cabinet 1",
        "take mug 1 from cabinet 1",
        *CLEAN_MUG_PLAN,
    ]
    result = run_episode(HouseholdEnv(), planner(plan), max_steps=20)
    assert result.success
    assert len(result.hints) == 1  # one failure, a success, then two failures in a row
    hint = result.hints[0]
    assert "take mug 1 from cabinet 1' failed twice" in hint and "open it if it is closed" in hint
    assert "go to cabinet 1" in hint  # the commands that work now
    assert result.chat_result is not None
    said = [(m.get("name"), content_str(m.get("content"))) for m in result.chat_result.chat_history]
    at = said.index(("grounding", hint))
    assert said[at - 1] == ("executor", "Nothing happens.")
    assert said[at + 1][0] == "assistant"


def test_the_grounding_agent_can_use_a_model() -> None:
    plan = ["fly", "fly", *CLEAN_MUG_PLAN]
    grounding = scripted_llm_config(["People cannot fly; try 'go to <place>'."])
    result = run_episode(
        HouseholdEnv(), planner(plan), max_steps=20, grounding_llm_config=grounding
    )
    assert result.success and result.hints == ["People cannot fly; try 'go to <place>'."]


def test_the_step_budget_ends_a_failing_episode() -> None:
    result = run_episode(HouseholdEnv(), planner(["look"]), max_steps=4)
    assert not result.success and result.steps == 4
    assert result.actions == ["look"] * 4


def test_episodes_run_on_wrapped_envs() -> None:
    class OneStepEnv:
        def reset(self) -> tuple[list[str], dict[str, Any]]:
            return ["Say hello."], {"admissible_commands": [["hello"]]}

        def step(self, actions: list[str]) -> tuple[Any, ...]:
            won = actions == ["hello"]
            info = {"won": [won], "admissible_commands": [["hello"]]}
            return [("Hi!" if won else "Nothing happens.")], [float(won)], [won], info

    result = run_episode(OneStepEnv(), planner(["wave", "wave", "hello"]), max_steps=5)
    assert result.success and result.actions == ["wave", "wave", "hello"]
    assert result.hints and "Commands available now: hello" in result.hints[0]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("THOUGHT: go.\nACTION: go to cabinet 1", "go to cabinet 1"),
        ("Action: open cabinet 1.", "open cabinet 1"),
        ("> action: `look`", "look"),
        ("I will look around.\nlook", "look"),
        ("ACTION: a\nACTION: b", "b"),
        ("", ""),
    ],
)
def test_parse_action(text: str, action: str) -> None:
    assert parse_action(text) == action


def test_hints_follow_the_failing_verb() -> None:
    assert "sinkbasin" in commonsense_hint("clean mug 1 with sofa 1", [])
    assert "not one the environment understands" in commonsense_hint("dance", ["look"])


def test_bad_max_steps_names_the_field() -> None:
    with pytest.raises(ConfigError, match="max_steps"):
        run_episode(HouseholdEnv(), planner([]), max_steps=0)


def test_example_runs_to_completion() -> None:
    spec = importlib.util.spec_from_file_location("app_textworld", EXAMPLES / "app_textworld.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(silent=True)
    assert result.success and len(result.hints) == 1


def test_a_long_episode_shows_the_assistant_only_the_task_and_recent_history() -> None:
    seen: list[int] = []
    act = scripted_plan_assistant([], fallback="look")

    def reply(messages: list[Any]) -> str:
        seen.append(len(messages))
        return act(messages)

    result = run_episode(
        HouseholdEnv(), scripted_llm_config(reply), max_steps=30, history_messages=6
    )
    assert result.steps == 30
    assert max(seen) <= 1 + 6  # the system message, then at most six (task first)
