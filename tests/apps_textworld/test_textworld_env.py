"""The built-in household game and the adapter for ALFWorld/TextWorld-style env objects."""

from typing import Any

import pytest

from convogen import ConfigError
from convogen.apps.textworld import (
    CLEAN_MUG_PLAN,
    NOTHING_HAPPENS,
    Goal,
    GymTextEnvAdapter,
    HouseholdEnv,
    TextEnvironment,
    as_environment,
)


def test_reset_describes_the_places_and_the_task() -> None:
    env = HouseholdEnv()
    observation, info = env.reset()
    assert "cabinet 1" in observation and "sinkbasin 1" in observation
    assert observation.endswith("Your task is to: put a clean mug in/on the diningtable 1.")
    assert "go to cabinet 1" in info["admissible_commands"] and info["won"] is False
    assert isinstance(env, TextEnvironment)


@pytest.mark.parametrize(
    "command",
    [
        "dance",
        "take mug 1 from cabinet 1",
        "open cabinet 1",
        "go to garage 1",
        "put mug 1 on sofa 1",
        "clean mug 1 with sinkbasin 1",
        "examine mug 1",
        "",
    ],
)
def test_invalid_commands_do_nothing(command: str) -> None:
    env = HouseholdEnv()
    env.reset()
    assert env.step(command) == (NOTHING_HAPPENS, 0.0, False, env._info())


def test_the_plan_solves_the_task_step_by_step() -> None:
    env = HouseholdEnv()
    env.reset()
    observations = [env.step(action) for action in CLEAN_MUG_PLAN]
    assert observations[0][0] == "You arrive at cabinet 1 in the kitchen. The cabinet 1 is closed."
    assert observations[1][0] == "You open the cabinet 1. In the cabinet 1, you see a mug 1."
    assert observations[2][0] == "You pick up the mug 1 from the cabinet 1."
    assert "cleaned" in observations[4][0]
    assert all(not done for _, _, done, _ in observations[:-1])
    _, reward, done, info = observations[-1]
    assert (reward, done, info["won"]) == (1.0, True, True)
    assert env.step("look")[0] == "The episode is over."


def test_a_dirty_mug_on_the_table_does_not_count() -> None:
    env = HouseholdEnv()
    env.reset()
    for action in ["go to cabinet 1", "open cabinet 1", "take mug 1 from cabinet 1"]:
        env.step(action)
    assert env.step("inventory")[0] == "You are carrying: mug 1."
    assert env.step("examine mug 1")[0] == "This is a mug 1."
    env.step("go to diningtable 1")
    observation, _, done, _ = env.step("put mug 1 on diningtable 1")
    assert observation == "You put the mug 1 on the diningtable 1." and not done
    assert env.step("look")[0].endswith("you see a bowl 1, a mug 1.")


def test_hands_hold_one_object_and_containers_must_be_open() -> None:
    env = HouseholdEnv()
    env.reset()
    env.step("go to countertop 1")
    assert env.step("take apple 1 from countertop 1")[0].startswith("You pick up")
    assert env.step("take knife 1 from countertop 1")[0] == NOTHING_HAPPENS
    env.step("go to fridge 1")
    assert env.step("put apple 1 in fridge 1")[0] == NOTHING_HAPPENS
    env.step("open fridge 1")
    assert "put apple 1 in fridge 1" in env.admissible_commands
    assert env.step("cool apple 1 with fridge 1")[0].endswith("The apple 1 is cooled.")
    assert env.step("examine apple 1")[0] == "This is a apple 1. It is cold."
    assert env.step("close fridge 1")[0] == "You close the fridge 1."
    assert env.step("inventory")[0] == "You are carrying: apple 1."


def test_other_goals_and_bad_goals() -> None:
    env = HouseholdEnv(Goal("egg 1", "hot", "countertop 1"))
    assert "put a hot egg" in env.reset()[0]
    with pytest.raises(ConfigError, match=r"goal\.item"):
        HouseholdEnv(Goal("cat 1", "", "sofa 1"))
    with pytest.raises(ConfigError, match=r"goal\.target"):
        HouseholdEnv(Goal("mug 1", "", "roof 1"))
    with pytest.raises(ConfigError, match=r"goal\.state"):
        HouseholdEnv(Goal("mug 1", "shiny", "sofa 1"))


class FakeAlfworld:
    """Mimics ALFWorld's batched env: lists in, lists out, commands in the infos."""

    def __init__(self) -> None:
        self.steps: list[Any] = []

    def reset(self) -> tuple[list[str], dict[str, list[Any]]]:
        return ["You are in a room.\nYour task is to: look."], {
            "admissible_commands": [["look", "inventory"]],
            "won": [False],
        }

    def step(self, actions: list[str]) -> tuple[Any, ...]:
        self.steps.append(actions)
        won = actions == ["look"]
        observation = "You see a room." if won else NOTHING_HAPPENS
        return [observation], [float(won)], [won], {"admissible_commands": [["look"]], "won": [won]}


class FakeTextWorld:
    """Mimics a TextWorld gym env: plain values and a 5-tuple (gymnasium style)."""

    admissible_commands = ["north", "south"]

    def reset(self) -> str:
        return "A corridor."

    def step(self, action: str) -> tuple[str, int, bool, bool, dict[str, Any]]:
        return f"You go {action}.", 1, action == "north", False, {}


def test_the_adapter_unbatches_alfworld_style_envs() -> None:
    raw = FakeAlfworld()
    env = as_environment(raw)
    assert isinstance(env, GymTextEnvAdapter)
    observation, info = env.reset()
    assert observation.startswith("You are in a room.") and info["won"] is False
    assert env.admissible_commands == ["look", "inventory"]
    assert env.step("jump") == (
        NOTHING_HAPPENS,
        0.0,
        False,
        {"admissible_commands": ["look"], "won": False},
    )
    observation, reward, done, info = env.step("look")
    assert (observation, reward, done, env.won) == ("You see a room.", 1.0, True, True)
    assert raw.steps == [["jump"], ["look"]]


def test_the_adapter_handles_plain_and_gymnasium_style_envs() -> None:
    env = GymTextEnvAdapter(FakeTextWorld())
    assert env.reset() == ("A corridor.", {})
    assert env.admissible_commands == ["north", "south"]
    assert env.step("south") == ("You go south.", 1.0, False, {})
    assert env.step("north")[2] is True and env.won


def test_the_adapter_rejects_objects_without_reset_and_step() -> None:
    with pytest.raises(ConfigError, match="reset"):
        GymTextEnvAdapter(object())
    household = HouseholdEnv()
    assert as_environment(household) is household
