"""The examples and the demo run to completion offline."""

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from convogen import StopReason


def load(name: str) -> ModuleType:
    return importlib.import_module(f"convogen.examples.{name}")


def test_product_team_writes_runs_and_verifies_code() -> None:
    result = load("groupchat_product_team").main(silent=True)
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    outputs = [m["content"] for m in result.chat_history if "exitcode: 0" in (m["content"] or "")]
    assert outputs and "most frequent word: the 3" in outputs[0]
    assert "'the' appears 3 times" in result.summary


def test_dynamic_group_chat_follows_the_graph_and_uses_the_tool() -> None:
    result = load("dynamic_groupchat").main(silent=True)
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert "238 m higher" in result.summary
    tool_results = [m for m in result.chat_history if m.get("tool_responses")]
    assert [r["content"] for r in tool_results[0]["tool_responses"]] == ["8849 m", "8611 m"]


@pytest.mark.parametrize("silent", [True])
def test_demo_executes_code_and_reports(silent: bool, tmp_path: Path) -> None:
    from convogen.demos import scripted_coding

    result = scripted_coding.run(silent=silent, work_dir=str(tmp_path))
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert "there are 15 primes below 50" in result.summary
    assert (tmp_path / "primes.py").exists()
