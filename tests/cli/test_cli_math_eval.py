"""``convogen math-eval``: MATH-format problems, graded, by level and type, resumable, any model."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from convogen.apps.math.evaluate import DEMO_PROGRAMS
from convogen.apps.math.evaluation import SAMPLE_PROBLEMS, load_math_problems, read_results
from convogen.apps.math.solver import scripted_math_solver
from convogen.cli import app
from convogen.errors import ConfigError
from convogen.llm.local.model_file import llama_cpp_available
from convogen.llm.test_server import OpenAICompatibleTestServer

runner = CliRunner(env={"COLUMNS": "200"})


def problem_keys(path: Path) -> list[str]:
    return [r.key for r in read_results(path)]


def score(path: Path) -> str:
    """``correct/total`` as stored in a results file."""
    results = read_results(path)
    return f"{sum(r.correct for r in results)}/{len(results)}"


def test_every_reference_solution_has_a_gradable_boxed_answer() -> None:
    from convogen.apps.math.answers import extract_answer, is_equiv

    for line in SAMPLE_PROBLEMS.read_text().splitlines():
        problem = json.loads(line)
        assert is_equiv(extract_answer(problem["solution"]), problem["solution"])


def test_the_bundled_sample_has_twenty_math_format_problems() -> None:
    records = load_math_problems(SAMPLE_PROBLEMS)
    assert len(records) >= 20
    assert {r.level for r in records} == {f"Level {n}" for n in range(1, 6)}
    assert len({r.type for r in records}) == 7
    assert all(r.answer for r in records)


def test_a_math_dataset_folder_loads_with_answers_from_the_boxed_solution(tmp_path: Path) -> None:
    folder = tmp_path / "test" / "algebra"
    folder.mkdir(parents=True)
    problem = {
        "problem": "What is $1+1$?",
        "level": "Level 1",
        "type": "Algebra",
        "solution": "Adding, $1+1=\\boxed{2}$.",
    }
    (folder / "1.json").write_text(json.dumps(problem))
    [record] = load_math_problems(tmp_path / "test")
    assert (record.answer, record.level, record.type) == ("2", "Level 1", "Algebra")


def test_a_solution_without_a_boxed_answer_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"problem": "1+1?", "solution": "It is 2."}) + "\n")
    with pytest.raises(ConfigError, match=r"p\.jsonl:1\.solution"):
        load_math_problems(path)


def test_scripted_grading_reports_accuracy_by_level_and_type(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    out = runner.invoke(app, ["math-eval", "--scripted", "--results", str(results)])
    assert out.exit_code == 0, out.output
    assert "Accuracy by level" in out.output and "Accuracy by type" in out.output
    assert "Level 5" in out.output and "Counting & Probability" in out.output
    assert len(problem_keys(results)) == 21
    correct = sum(r.correct for r in read_results(results))
    assert 0 < correct < 21  # the stand-in solves the arithmetic ones only
    assert f"{correct}/21" in out.output


def test_a_rerun_skips_graded_problems(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    runner.invoke(app, ["math-eval", "--scripted", "--limit", "4", "--results", str(results)])
    out = runner.invoke(app, ["math-eval", "--scripted", "--results", str(results)])
    assert "resumed" in out.output and "4 problems were graded by an earlier run" in out.output
    assert len(problem_keys(results)) == 21


def test_an_evaluation_killed_mid_run_resumes_without_losing_or_repeating(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    command = [sys.executable, "-m", "convogen", "-v", "math-eval", "--scripted"]
    process = subprocess.Popen(
        [*command, "--results", str(results)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # the run logs each graded problem
        if "graded 3/21" in line:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = problem_keys(results)
    assert 3 <= len(before) < 21
    out = runner.invoke(app, ["math-eval", "--scripted", "--results", str(results)])
    assert out.exit_code == 0, out.output
    assert f"{len(before)} problems were graded by an earlier run" in out.output
    after = problem_keys(results)
    assert after[: len(before)] == before
    assert sorted(after) == sorted({r.key for r in load_math_problems(SAMPLE_PROBLEMS)})
    assert score(results) in out.output


def solver_server() -> OpenAICompatibleTestServer:
    solver = scripted_math_solver(DEMO_PROGRAMS)

    def reply(body: dict[str, Any]) -> str:
        return solver(body["messages"])

    return OpenAICompatibleTestServer(reply)


def test_a_config_list_model_is_graded_over_http(tmp_path: Path) -> None:
    with solver_server() as server:
        config = tmp_path / "OAI_CONFIG_LIST"
        entries = [
            {"model": "gpt-4o", "base_url": server.base_url, "api_key": "test"},
            {"model": "other", "base_url": "http://127.0.0.1:9/v1", "api_key": "test"},
        ]
        config.write_text(json.dumps(entries))
        args = ["--config", str(config), "--filter", "model=gpt-4o"]
        out = runner.invoke(app, ["math-eval", *args, "--results", str(tmp_path / "http.jsonl")])
        assert out.exit_code == 0, out.output
        assert server.request_count >= 21
    runner.invoke(app, ["math-eval", "--scripted", "--results", str(tmp_path / "local.jsonl")])
    graded = {r.key: r.correct for r in read_results(tmp_path / "local.jsonl")}
    assert {r.key: r.correct for r in read_results(tmp_path / "http.jsonl")} == graded


def test_every_problem_failing_on_an_unreachable_model_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "OAI_CONFIG_LIST"
    entry = {"model": "gpt-4o", "base_url": "http://127.0.0.1:9/v1", "api_key": "t"}
    config.write_text(json.dumps([{**entry, "max_retries": 0}]))
    args = ["--config", str(config), "--limit", "2", "--results", str(tmp_path / "r.jsonl")]
    out = runner.invoke(app, ["-q", "math-eval", *args])
    assert out.exit_code == 2
    [line] = [x for x in out.output.splitlines() if x.strip()]
    assert line.startswith("error: the model could not be reached or failed: every one of the 2")


def test_an_unmatched_filter_fails_fast(tmp_path: Path) -> None:
    config = tmp_path / "OAI_CONFIG_LIST"
    config.write_text(json.dumps([{"model": "gpt-4o", "api_key": "t"}]))
    out = runner.invoke(app, ["math-eval", "--config", str(config), "--model", "gpt-5"])
    assert out.exit_code == 2
    assert "no entry of the config list" in out.output


@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python is not installed")
def test_the_embedded_model_is_evaluated_with_model_local(tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"
    args = ["--model", "local", "--limit", "1", "--max-replies", "1", "--results", str(results)]
    out = runner.invoke(app, ["math-eval", *args])
    assert out.exit_code == 0, out.output
    [graded] = read_results(results)
    assert graded.error is None
