"""Text-world decision making (ALFWorld pattern): an assistant acts, an executor runs the
action in the environment, and a grounding agent gives hints when actions keep failing."""

from convogen.apps.textworld.env import (
    NOTHING_HAPPENS,
    GymTextEnvAdapter,
    TextEnvironment,
    as_environment,
)
from convogen.apps.textworld.episode import (
    EpisodeResult,
    commonsense_hint,
    parse_action,
    run_episode,
)
from convogen.apps.textworld.household import Goal, HouseholdEnv, Receptacle
from convogen.apps.textworld.scripted import CLEAN_MUG_PLAN, scripted_plan_assistant

__all__ = [
    "CLEAN_MUG_PLAN",
    "NOTHING_HAPPENS",
    "EpisodeResult",
    "Goal",
    "GymTextEnvAdapter",
    "HouseholdEnv",
    "Receptacle",
    "TextEnvironment",
    "as_environment",
    "commonsense_hint",
    "parse_action",
    "run_episode",
    "scripted_plan_assistant",
]
