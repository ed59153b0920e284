"""Math problem solving (MathChat), offline: a scripted solver writes Python, the sandbox runs it.

A ``MathUserProxyAgent`` sends each problem with a prompt asking for a step-by-step solution
using Python and a boxed final answer, runs the solver's code in the sandbox, and stops when
the answer is boxed; the evaluation grades every answer and reports accuracy and cost. One of
the four demo programs is deliberately wrong, so the expected accuracy is 3/4.

Run: .venv/bin/convogen example app_math [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from convogen import AssistantAgent
from convogen.apps.math import (
    DEMO_PROBLEMS,
    EvalReport,
    MathUserProxyAgent,
    demo_llm_config,
    evaluate_math,
    write_problems,
)
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options


def main(
    silent: bool = False, work_dir: str | None = None, model: ModelChoice | None = None
) -> EvalReport:
    """Show one solved problem, then evaluate the demo set; returns the report."""
    pick = (model or ModelChoice()).picker()
    console = Console(quiet=silent)
    folder = Path(work_dir or tempfile.mkdtemp(prefix="app-math-"))
    solver = AssistantAgent("solver", llm_config=pick(demo_llm_config()), silent=True)
    proxy = MathUserProxyAgent(code_execution_config={"work_dir": str(folder)}, silent=True)
    chat = proxy.solve(solver, DEMO_PROBLEMS[0]["problem"])
    for message in chat.chat_history:
        console.rule(str(message.get("name")))
        console.print(message.get("content"), markup=False)
    console.print(f"boxed answer: {proxy.last_answer}  (stop reason: {chat.stop_reason})")
    problems = write_problems(DEMO_PROBLEMS, folder / "problems.jsonl")
    report = evaluate_math(
        problems,
        pick(demo_llm_config()),
        work_dir=folder,
        console=console,
        show_progress=not silent,
    )
    console.print(report.table())
    return report


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
