"""Text-world decision making (ALFWorld pattern), offline, in the built-in household game.

An assistant (scripted here) issues one action per turn, an executor runs it in the
environment and reports the observation, and a grounding agent steps in with commonsense
hints when two actions in a row fail ("Nothing happens."). The scripted assistant first tries
to take the mug from afar twice, gets a hint, then carries out its plan: fetch the mug, clean
it at the sink, put it on the dining table. A real ALFWorld env object can be passed to
``run_episode`` instead of ``HouseholdEnv()``.

Run: .venv/bin/convogen example app_textworld [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

from rich.console import Console

from convogen import scripted_llm_config
from convogen.apps.textworld import (
    CLEAN_MUG_PLAN,
    EpisodeResult,
    HouseholdEnv,
    run_episode,
    scripted_plan_assistant,
)
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options


def main(silent: bool = False, model: ModelChoice | None = None) -> EpisodeResult:
    """Run one episode and return its result."""
    pick = (model or ModelChoice()).picker()
    console = Console(quiet=silent)
    plan = ["take mug 1 from cabinet 1", "take mug 1 from cabinet 1", *CLEAN_MUG_PLAN]
    result = run_episode(
        HouseholdEnv(), pick(scripted_llm_config(scripted_plan_assistant(plan))), 20
    )
    assert result.chat_result is not None
    for message in result.chat_result.chat_history:
        console.print(f"[bold]{message.get('name')}[/]: ", end="")
        console.print(message.get("content"), markup=False)
    console.print(f"success: {result.success} in {result.steps} steps; hints: {len(result.hints)}")
    return result


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
