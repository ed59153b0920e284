"""Graded MATH results and their report: accuracy overall, by level and by type, with cost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.table import Table


@dataclass(frozen=True)
class GradedResult:
    """One graded problem, as stored (one JSON line) in the results file."""

    key: str
    level: str
    type: str
    expected: str
    answer: str | None
    correct: bool
    cost: float | None
    turns: int
    error: str | None = None


def _money(value: float | None) -> str:
    return "unknown" if value is None else f"${value:.4f}"


@dataclass
class MathReport:
    """All graded results of one evaluation (``resumed``: how many came from an earlier run)."""

    results: list[GradedResult] = field(default_factory=list)
    resumed: int = 0

    @property
    def correct(self) -> int:
        """Number of problems answered correctly."""
        return sum(r.correct for r in self.results)

    @property
    def accuracy(self) -> float:
        """Fraction answered correctly (0.0 when empty)."""
        return self.correct / len(self.results) if self.results else 0.0

    @property
    def total_cost(self) -> float | None:
        """Dollars spent; None when any model's price is unknown."""
        costs = [r.cost for r in self.results]
        return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)

    @property
    def errors(self) -> list[GradedResult]:
        """Results whose chat failed with an error (not merely a wrong answer)."""
        return [r for r in self.results if r.error is not None]

    def breakdown(
        self, by: Callable[[GradedResult], str]
    ) -> dict[str, tuple[int, int, float | None]]:
        """``{group: (correct, total, cost)}`` for the groups ``by`` assigns."""
        groups: dict[str, list[GradedResult]] = {}
        for result in self.results:
            groups.setdefault(by(result), []).append(result)
        return {
            name: (
                sum(r.correct for r in items),
                len(items),
                MathReport(items).total_cost,
            )
            for name, items in sorted(groups.items())
        }

    def table(self, title: str, by: Callable[[GradedResult], str]) -> Table:
        """A rich table of accuracy and cost per group, with a totals row."""
        table = Table(title=title)
        for column in (title.split()[-1], "correct", "accuracy", "cost"):
            table.add_column(column, justify="left" if column == title.split()[-1] else "right")
        for name, (correct, total, cost) in self.breakdown(by).items():
            table.add_row(name, f"{correct}/{total}", f"{correct / total:.0%}", _money(cost))
        table.add_row(
            "[bold]all[/]",
            f"{self.correct}/{len(self.results)}",
            f"{self.accuracy:.0%}",
            _money(self.total_cost),
        )
        return table

    def tables(self) -> list[Table]:
        """Accuracy and cost by level, then by type."""
        return [
            self.table("Accuracy by level", lambda r: r.level),
            self.table("Accuracy by type", lambda r: r.type),
        ]
