"""Evaluating a solver on a JSONL file of math problems: accuracy, cost and turns per problem."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from convogen.agents.assistant import AssistantAgent
from convogen.apps.math.agent import MathUserProxyAgent
from convogen.apps.math.answers import is_equiv
from convogen.apps.math.solver import scripted_math_solver
from convogen.errors import ConfigError
from convogen.llm.scripted import scripted_llm_config
from convogen.results import ChatResult

SOLVER_SYSTEM_MESSAGE = (
    "You are a careful mathematician who solves problems step by step and uses Python to "
    "compute. Follow the user's instructions on code blocks and on boxing the final answer."
)

# Problems for the offline demo. The last program is deliberately wrong (it counts the
# hexagon's angles as if it had 7 sides), so the demo shows how a wrong answer is graded.
DEMO_PROBLEMS: list[dict[str, str]] = [
    {"problem": "Compute $\\frac{3}{4} + \\frac{5}{6}$.", "answer": "\\frac{19}{12}"},
    {"problem": "What is $2^{10} - 24$?", "answer": "1000"},
    {
        "problem": "How many positive integers less than 100 are divisible by 3 or 5?",
        "answer": "46",
    },
    {
        "problem": "What is the sum of the interior angles of a hexagon, in degrees?",
        "answer": "720^\\circ",
    },
]
DEMO_PROGRAMS: dict[str, str] = {
    "divisible by 3 or 5": "print(sum(1 for n in range(1, 100) if n % 3 == 0 or n % 5 == 0))",
    "interior angles of a hexagon": "sides = 7\nprint(180 * (sides - 2))",
}


@dataclass(frozen=True)
class MathProblem:
    """One problem of an evaluation set."""

    problem: str
    answer: str


@dataclass
class ProblemOutcome:
    """How the solver did on one problem."""

    index: int
    problem: str
    expected: str
    answer: str | None
    correct: bool
    turns: int
    cost: float | None
    stop_reason: str
    error: str | None = None


@dataclass
class EvalReport:
    """All outcomes of an evaluation, with accuracy and cost totals."""

    outcomes: list[ProblemOutcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of problems evaluated."""
        return len(self.outcomes)

    @property
    def correct(self) -> int:
        """Number of problems answered correctly."""
        return sum(o.correct for o in self.outcomes)

    @property
    def accuracy(self) -> float:
        """Fraction of problems answered correctly (0.0 for an empty set)."""
        return self.correct / self.total if self.total else 0.0

    @property
    def total_cost(self) -> float | None:
        """Dollars spent on all problems; None when any model's price is unknown."""
        costs = [o.cost for o in self.outcomes]
        return None if any(c is None for c in costs) else sum(c for c in costs if c is not None)

    @property
    def mean_turns(self) -> float:
        """Average number of solver replies per problem."""
        return sum(o.turns for o in self.outcomes) / self.total if self.total else 0.0

    def table(self) -> Table:
        """A rich table with one row per problem and a totals caption."""
        table = Table(title="Math evaluation")
        for column in ("#", "problem", "expected", "answer", "ok", "turns", "cost", "stop"):
            table.add_column(column, overflow="fold")
        for o in self.outcomes:
            table.add_row(
                str(o.index + 1),
                o.problem if len(o.problem) <= 50 else o.problem[:47] + "...",
                o.expected,
                "-" if o.answer is None else o.answer,
                "[green]yes[/]" if o.correct else "[red]no[/]",
                str(o.turns),
                _money(o.cost),
                o.stop_reason if o.error is None else f"error: {o.error}",
            )
        table.caption = (
            f"accuracy {self.correct}/{self.total} ({self.accuracy:.0%}), "
            f"cost {_money(self.total_cost)}, mean turns {self.mean_turns:.1f}"
        )
        return table


def _money(value: float | None) -> str:
    return "unknown" if value is None else f"${value:.4f}"


def load_problems(path: str | Path) -> list[MathProblem]:
    """Read ``{"problem": ..., "answer": ...}`` lines; errors name the line and the field."""
    problems: list[MathProblem] = []
    source = Path(path)
    if not source.is_file():
        raise ConfigError("problems_jsonl_path", str(path), "no such file")
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{source.name}:{number}", line[:60], f"not JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise ConfigError(f"{source.name}:{number}", record, "must be a JSON object")
        for key in ("problem", "answer"):
            value = record.get(key)
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise ConfigError(f"{source.name}:{number}[{key!r}]", value, "must be a string")
        problems.append(MathProblem(str(record["problem"]), str(record["answer"])))
    return problems


def write_problems(problems: Sequence[dict[str, str]], path: str | Path) -> Path:
    """Write problems as JSONL (one object a line) and return the path."""
    target = Path(path)
    target.write_text("".join(json.dumps(p) + "\n" for p in problems), encoding="utf-8")
    return target


def solve_problem(
    index: int,
    problem: MathProblem,
    llm_config: dict[str, Any],
    code_execution_config: dict[str, Any],
    max_auto_reply: int = MathUserProxyAgent.DEFAULT_MAX_AUTO_REPLY,
) -> ProblemOutcome:
    """One chat between a fresh solver and a fresh ``MathUserProxyAgent``, graded."""
    solver = AssistantAgent(
        "solver", system_message=SOLVER_SYSTEM_MESSAGE, llm_config=llm_config, silent=True
    )
    proxy = MathUserProxyAgent(
        code_execution_config=code_execution_config,
        max_consecutive_auto_reply=max_auto_reply,
        silent=True,
    )
    try:
        result = proxy.solve(solver, problem.problem)
    except Exception as exc:  # one failing problem must not end the evaluation
        partial = proxy.last_chat_result or ChatResult()
        return _outcome(index, problem, proxy.last_answer, partial, f"{type(exc).__name__}: {exc}")
    return _outcome(index, problem, proxy.last_answer, result, None)


def _outcome(
    index: int, problem: MathProblem, answer: str | None, result: ChatResult, error: str | None
) -> ProblemOutcome:
    usage = result.cost.get("usage_including_cached_inference", {})
    cost = usage.get("total_cost", 0.0) if usage else 0.0
    turns = sum(1 for m in result.chat_history if m.get("name") == "solver")
    return ProblemOutcome(
        index=index,
        problem=problem.problem,
        expected=problem.answer,
        answer=answer,
        correct=answer is not None and is_equiv(answer, problem.answer),
        turns=turns,
        cost=cost,
        stop_reason=str(result.stop_reason) if result.stop_reason else "unknown",
        error=error,
    )


def evaluate_math(
    problems_jsonl_path: str | Path,
    llm_config: dict[str, Any],
    *,
    work_dir: str | Path | None = None,
    console: Console | None = None,
    show_progress: bool = True,
    limit: int | None = None,
    timeout: int = 60,
    max_auto_reply: int = MathUserProxyAgent.DEFAULT_MAX_AUTO_REPLY,
) -> EvalReport:
    """Solve every problem of a JSONL file in its own chat and report accuracy and cost.

    Code runs in the sandbox under ``work_dir`` (a temporary folder by default).
    """
    problems = load_problems(problems_jsonl_path)
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ConfigError("limit", limit, "must be a non-negative integer or None")
        problems = problems[:limit]
    folder = Path(work_dir) if work_dir is not None else Path(tempfile.mkdtemp(prefix="mathchat-"))
    code_config = {"work_dir": str(folder), "timeout": timeout}
    report = EvalReport()
    with Progress(console=console or Console(), disable=not show_progress) as progress:
        task = progress.add_task("solving", total=len(problems))
        for index, problem in enumerate(problems):
            report.outcomes.append(
                solve_problem(index, problem, llm_config, code_config, max_auto_reply)
            )
            progress.advance(task)
    return report


def demo_llm_config() -> dict[str, Any]:
    """A scripted solver model (priced, so cost shows) for the offline demo problems."""
    return scripted_llm_config(
        scripted_math_solver(DEMO_PROGRAMS), model="scripted-math", price=[0.001, 0.002]
    )


def cli_math_eval(
    path: str | Path | None,
    console: Console,
    model: str = "scripted",
    limit: int | None = None,
    work_dir: str | Path | None = None,
) -> int:
    """CLI entry: evaluate ``path`` (the demo set when None) and print a table; returns 0 or 2.

    ``model="scripted"`` uses the offline scripted solver; any other name is an OpenAI-style
    model read from the environment's credentials.
    """
    try:
        if path is None:
            folder = Path(tempfile.mkdtemp(prefix="mathchat-demo-"))
            path = write_problems(DEMO_PROBLEMS, folder / "demo_problems.jsonl")
        llm_config = (
            demo_llm_config() if model == "scripted" else {"config_list": [{"model": model}]}
        )
        report = evaluate_math(path, llm_config, console=console, limit=limit, work_dir=work_dir)
    except ConfigError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    console.print(report.table())
    return 0
