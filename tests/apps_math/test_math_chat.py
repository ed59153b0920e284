"""MathChat end to end: prompt, code in the sandbox, boxed answer, grading and evaluation."""

import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from convogen import AssistantAgent, ConfigError, StopReason
from convogen.apps.math import (
    MathUserProxyAgent,
    build_prompt,
    cli_math_eval,
    evaluate_math,
    is_equiv,
    load_problems,
    scripted_math_solver,
    write_problems,
)
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import content_str

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

PROBLEMS = [
    {"problem": "Compute $\\frac{1}{3} + \\frac{1}{6}$.", "answer": "\\frac{1}{2}"},
    {"problem": "What is $7 \\cdot 8 - 6$?", "answer": "50"},
    {"problem": "What is the sum of the first 10 positive odd integers?", "answer": "100"},
    {"problem": "How many edges does a cube have?", "answer": "12"},
]
PROGRAMS = {
    "first 10 positive odd": "print(sum(range(1, 20, 2)))",
    # Deliberately wrong: counts faces instead of edges.
    "edges does a cube": "faces = 6\nprint(faces)",
}


def make_pair(tmp_path: Path, model: Any) -> tuple[MathUserProxyAgent, AssistantAgent]:
    solver = AssistantAgent("solver", llm_config=scripted_llm_config(model), silent=True)
    proxy = MathUserProxyAgent(code_execution_config={"work_dir": str(tmp_path)}, silent=True)
    return proxy, solver


def test_prompt_asks_for_python_and_a_boxed_answer() -> None:
    prompt = build_prompt("What is 1+1?")
    assert "```python" in prompt and "print" in prompt and "\\boxed{}" in prompt
    assert prompt.endswith("Problem: What is 1+1?")
    with pytest.raises(ConfigError, match="problem"):
        MathUserProxyAgent.message_generator(MathUserProxyAgent(), None, {"problem": " "})


def test_a_problem_is_solved_with_code_run_in_the_sandbox(tmp_path: Path) -> None:
    proxy, solver = make_pair(tmp_path, scripted_math_solver())
    result = proxy.solve(solver, PROBLEMS[0]["problem"])
    history = [content_str(m.get("content")) for m in result.chat_history]
    assert "```python" in history[1]
    assert history[2] == "1/2"  # as in 0.2: the query's output, nothing else
    assert "\\boxed{1/2}" in history[3]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert proxy.last_answer == "1/2"
    assert is_equiv(proxy.last_answer, PROBLEMS[0]["answer"])


def test_a_reply_without_code_or_answer_is_nudged(tmp_path: Path) -> None:
    replies = ["Let me think about it.", "The answer is \\boxed{4}."]
    proxy, solver = make_pair(tmp_path, replies)
    result = proxy.solve(solver, "What is 2+2?")
    assert "\\boxed{}" in content_str(result.chat_history[2].get("content"))
    assert proxy.last_answer == "4"


def test_a_boxed_answer_with_code_still_runs_the_code(tmp_path: Path) -> None:
    replies = [
        "Maybe \\boxed{3}, let me check:\n```python\nprint(1 + 3)\n```",
        "It is \\boxed{4}.",
    ]
    proxy, solver = make_pair(tmp_path, replies)
    result = proxy.solve(solver, "What is 1+3?")
    assert content_str(result.chat_history[2].get("content")) == "4"
    assert proxy.last_answer == "4"


def test_failing_code_is_reported_and_the_solver_may_give_up(tmp_path: Path) -> None:
    replies = ["```python\nprint(1 / 0)\n```", "I give up. TERMINATE"]
    proxy, solver = make_pair(tmp_path, replies)
    result = proxy.solve(solver, "Divide by zero.")
    error = content_str(result.chat_history[2].get("content"))
    assert error.startswith("Error: ") and "ZeroDivisionError" in error
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert proxy.last_answer is None


def test_evaluation_over_a_jsonl_file(tmp_path: Path) -> None:
    path = write_problems(PROBLEMS, tmp_path / "problems.jsonl")
    config = scripted_llm_config(scripted_math_solver(PROGRAMS), price=[0.001, 0.002])
    report = evaluate_math(path, config, work_dir=tmp_path, show_progress=False)
    assert (report.correct, report.total) == (3, 4)
    assert report.accuracy == pytest.approx(0.75)
    assert [o.correct for o in report.outcomes] == [True, True, True, False]
    assert report.outcomes[3].answer == "6"
    assert all(o.turns == 2 for o in report.outcomes)
    assert report.total_cost is not None and report.total_cost > 0
    assert report.total_cost == pytest.approx(sum(o.cost or 0 for o in report.outcomes))
    buffer = io.StringIO()
    Console(file=buffer, width=200).print(report.table())
    assert "accuracy 3/4 (75%)" in buffer.getvalue()


def test_evaluation_limit_and_a_problem_that_errors(tmp_path: Path) -> None:
    path = write_problems(PROBLEMS, tmp_path / "problems.jsonl")

    def broken(messages: list[Any]) -> str:
        raise RuntimeError("model down")

    report = evaluate_math(
        path, scripted_llm_config(broken), work_dir=tmp_path, show_progress=False, limit=2
    )
    assert report.total == 2 and report.correct == 0
    assert report.outcomes[0].error is not None and "model down" in report.outcomes[0].error


def test_load_problems_names_the_bad_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"problem": "ok", "answer": "1"}) + "\n\n{nope\n")
    with pytest.raises(ConfigError, match=r"bad\.jsonl:3"):
        load_problems(path)
    path.write_text(json.dumps({"problem": "ok"}) + "\n")
    with pytest.raises(ConfigError, match=r"bad\.jsonl:1\['answer'\]"):
        load_problems(path)
    with pytest.raises(ConfigError, match="problems_jsonl_path"):
        load_problems(tmp_path / "missing.jsonl")
    path.write_text(json.dumps({"problem": "What is 2+2?", "answer": 4}) + "\n")
    assert load_problems(path)[0].answer == "4"


def test_cli_function_runs_the_demo_set_offline(tmp_path: Path) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200)
    assert cli_math_eval(None, console, work_dir=tmp_path) == 0
    assert "accuracy 3/4 (75%)" in buffer.getvalue()
    assert cli_math_eval(tmp_path / "missing.jsonl", console) == 2
    assert "no such file" in buffer.getvalue()


def test_example_runs_to_completion(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("app_math", EXAMPLES / "app_math.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = module.main(silent=True, work_dir=str(tmp_path))
    assert (report.correct, report.total) == (3, 4)
