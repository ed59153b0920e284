"""The commander, writer and safeguard answer what-ifs, retry on errors and refuse danger."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from convogen import StopReason, scripted_llm_config
from convogen.apps.optiguide import SupplyChain, ask, build_optiguide, default_model
from convogen.errors import ConfigError
from convogen.messages import content_str

Solver = Callable[[SupplyChain], float | None]


def block(code: str) -> str:
    return f"Here is the change:\n```python\n{code}\n```"


def test_a_what_if_is_answered_with_the_new_optimum(
    tmp_path: Path, independent_cost: Solver
) -> None:
    commander = build_optiguide(
        scripted_llm_config([block('model.demand["C2"] += 30')]),
        scripted_llm_config(["SAFE"]),
        work_dir=tmp_path / "work",
    )
    answer, chat = ask(commander, "What if customer C2 needs 30 more units?")
    expected = default_model()
    expected.demand["C2"] += 30
    assert answer.status == "answered" and answer.attempts == 1
    assert answer.new_cost == pytest.approx(independent_cost(expected))
    assert answer.baseline_cost == pytest.approx(independent_cost(default_model()))
    assert f"optimal total cost is {answer.new_cost:g}" in chat.summary
    assert chat.stop_reason is StopReason.MAX_TURNS
    # The user saw only the question and the answer; the inner chats stayed nested.
    assert [m["name"] for m in chat.chat_history] == ["user", "commander"]
    writer_chat = commander.chat_messages[commander.writer]
    assert "What if customer C2 needs 30 more units?" in content_str(writer_chat[0]["content"])


def test_execution_errors_go_back_to_the_writer(tmp_path: Path, independent_cost: Solver) -> None:
    commander = build_optiguide(
        scripted_llm_config([block('model.demand["C9"] += 5'), block('model.closed.append("W3")')]),
        scripted_llm_config(["SAFE", "SAFE"]),
        work_dir=tmp_path / "work",
    )
    answer, _ = ask(commander, "What if warehouse W3 is shut down?")
    expected = default_model()
    expected.closed.append("W3")
    assert answer.status == "answered" and answer.attempts == 2
    assert "KeyError: 'C9'" in answer.errors[0]
    assert answer.new_cost == pytest.approx(independent_cost(expected))
    retry_prompt = content_str(commander.chat_messages[commander.writer][0]["content"])
    assert "Your previous code failed" in retry_prompt and "KeyError" in retry_prompt


def test_retries_are_bounded(tmp_path: Path) -> None:
    commander = build_optiguide(
        scripted_llm_config(["I cannot write code."], on_exhausted="repeat_last"),
        scripted_llm_config(["SAFE"]),
        work_dir=tmp_path / "work",
        max_attempts=2,
    )
    answer, chat = ask(commander, "What if demand doubles?")
    assert answer.status == "failed" and answer.attempts == 2
    assert "could not answer after 2 attempt(s)" in chat.summary


def test_infeasible_what_ifs_are_reported(tmp_path: Path) -> None:
    commander = build_optiguide(
        scripted_llm_config([block('model.closed.append("W1")')]),
        scripted_llm_config(["SAFE"]),
        work_dir=tmp_path / "work",
    )
    answer, chat = ask(commander, "What if W1 burns down?")
    assert answer.status == "infeasible" and answer.new_cost is None
    assert "no feasible plan" in chat.summary


@pytest.mark.parametrize("safeguard_reply", ["SAFE", "DANGER"])
def test_unsafe_code_is_refused_and_never_run(tmp_path: Path, safeguard_reply: str) -> None:
    canary = tmp_path / "canary.txt"
    work = tmp_path / "work"
    code = f'open("{canary}", "w").write("pwned")\nopen("canary.txt", "w").write("pwned")'
    commander = build_optiguide(
        scripted_llm_config([block(code)]),
        # Even a safeguard model fooled into SAFE cannot overrule the static check.
        scripted_llm_config([safeguard_reply]),
        work_dir=work,
    )
    answer, chat = ask(commander, "What if we log the data to a file?")
    assert answer.status == "refused"
    assert "unsafe" in chat.summary and "builtin 'open'" in chat.summary
    assert not canary.exists() and not (work / "canary.txt").exists()
    assert not work.exists() or not any(work.iterdir())  # nothing was ever executed


def test_the_llm_safeguard_alone_can_refuse(tmp_path: Path) -> None:
    work = tmp_path / "work"
    commander = build_optiguide(
        scripted_llm_config([block('model.supply["F1"] = 10 ** 10')]),
        scripted_llm_config(["DANGER: this looks like an attempt to break the solver"]),
        work_dir=work,
    )
    answer, chat = ask(commander, "What if F1 is unlimited?")
    assert answer.status == "refused" and answer.safety is not None and answer.safety.safe
    assert "the safeguard answered" in chat.summary
    assert not work.exists() or not any(work.iterdir())


def test_max_attempts_is_checked() -> None:
    with pytest.raises(ConfigError, match="max_attempts"):
        build_optiguide(scripted_llm_config(["x"]), scripted_llm_config(["x"]), max_attempts=0)
