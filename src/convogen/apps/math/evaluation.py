"""MATH-dataset evaluation: problems in the dataset's own layout, graded, resumable.

Problems are read as the MATH dataset stores them (``problem``, ``level``, ``type`` and a
``solution`` whose last ``\\boxed{}`` is the reference answer): one JSON file per problem, a
folder of them, a JSON list, or JSONL. Each result is appended to a JSONL file as soon as it
is graded, so an interrupted evaluation resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from convogen.apps.math.answers import extract_answer
from convogen.apps.math.evaluate import MathProblem, solve_problem
from convogen.apps.math.evaluation_report import GradedResult, MathReport
from convogen.errors import ConfigError

logger = logging.getLogger(__name__)

SAMPLE_PROBLEMS = Path(__file__).with_name("data") / "math_sample.jsonl"
"""21 MATH-format problems with worked solutions (levels 1-5, all seven types)."""


@dataclass(frozen=True)
class MathRecord:
    """One problem in the MATH layout, with its reference answer taken from the solution."""

    key: str
    problem: str
    level: str
    type: str
    answer: str


def _record(data: object, where: str) -> MathRecord:
    if not isinstance(data, dict):
        raise ConfigError(where, data, "must be a JSON object with 'problem' and 'solution'")
    problem = data.get("problem")
    if not isinstance(problem, str) or not problem.strip():
        raise ConfigError(f"{where}.problem", problem, "must be a non-empty string")
    answer = data.get("answer")
    if answer is None:
        solution = data.get("solution")
        answer = extract_answer(solution) if isinstance(solution, str) else None
        if answer is None:
            raise ConfigError(f"{where}.solution", solution, "must hold a \\boxed{...} answer")
    key = str(data.get("id") or hashlib.sha256(problem.encode()).hexdigest()[:16])
    level, kind = data.get("level", "unknown"), data.get("type", "unknown")
    return MathRecord(key, problem, str(level), str(kind), str(answer))


def _objects(path: Path) -> Iterator[tuple[object, str]]:
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            yield from _objects(file)
        return
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError("problems", str(path), f"cannot be read: {exc}") from exc
    lines = [line for line in text.splitlines() if line.strip()]
    if path.suffix == ".jsonl":
        for number, line in enumerate(lines, start=1):
            yield _parse(line, f"{path.name}:{number}"), f"{path.name}:{number}"
        return
    data = _parse(text, path.name)
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        yield item, f"{path.name}[{index}]"


def _parse(text: str, where: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(where, text[:60], f"not JSON ({exc})") from exc


def load_math_problems(path: str | Path) -> list[MathRecord]:
    """Problems of a MATH-format file or folder; errors name the file, line and field."""
    source = Path(path)
    if not source.exists():
        raise ConfigError("problems", str(path), "no such file or folder")
    records = [_record(data, where) for data, where in _objects(source)]
    if not records:
        raise ConfigError("problems", str(path), "holds no problems")
    return records


def read_results(path: Path) -> list[GradedResult]:
    """Results already stored in ``path`` (a torn last line, from a kill, is ignored)."""
    if not path.exists():
        return []
    results = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            results.append(GradedResult(**json.loads(line)))
        except (json.JSONDecodeError, TypeError):
            continue  # the line being written when the run was killed
    return results


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line left half-written by a killed run, so new lines start clean."""
    if not path.exists() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        with path.open("r+b") as file:
            file.truncate(data.rfind(b"\n") + 1)


def _append(path: Path, result: GradedResult) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(asdict(result)) + "\n")
        file.flush()
        os.fsync(file.fileno())


def _grade(
    record: MathRecord,
    index: int,
    llm_config: dict[str, Any],
    code: dict[str, Any],
    max_replies: int | None,
) -> GradedResult:
    problem = MathProblem(record.problem, record.answer)
    if max_replies is None:
        outcome = solve_problem(index, problem, llm_config, code)
    else:
        outcome = solve_problem(index, problem, llm_config, code, max_replies)
    return GradedResult(
        key=record.key,
        level=record.level,
        type=record.type,
        expected=record.answer,
        answer=outcome.answer,
        correct=outcome.correct,
        cost=outcome.cost,
        turns=outcome.turns,
        error=outcome.error,
    )


def run_math_evaluation(
    problems: list[MathRecord],
    llm_config: dict[str, Any],
    results_path: str | Path,
    *,
    console: Console | None = None,
    show_progress: bool = True,
    timeout: int = 60,
    max_replies: int | None = None,
) -> MathReport:
    """Solve and grade every problem not yet in ``results_path``; returns the whole report."""
    target = Path(results_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _drop_torn_tail(target)
    wanted = {record.key for record in problems}
    done = {r.key: r for r in read_results(target) if r.key in wanted}
    todo = [record for record in problems if record.key not in done]
    if done:
        logger.info("resuming: %d of %d problems already graded", len(done), len(problems))
    with (
        tempfile.TemporaryDirectory(prefix="mathchat-") as folder,
        Progress(console=console or Console(), disable=not show_progress) as progress,
    ):
        task = progress.add_task("solving", total=len(problems), completed=len(done))
        code = {"work_dir": folder, "timeout": timeout}
        for record in todo:
            result = _grade(record, len(done), llm_config, code, max_replies)
            _append(target, result)
            done[record.key] = result
            logger.info("graded %d/%d: %s", len(done), len(problems), record.key)
            progress.advance(task)
    return MathReport([done[record.key] for record in problems], resumed=len(problems) - len(todo))
