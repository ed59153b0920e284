"""Shared helpers for benchmark scripts: repeated timing and a rich table of median/min/max."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table


@dataclass
class Figure:
    """One measured quantity over several repetitions."""

    name: str
    unit: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def repeat(fn: Callable[[], float], repetitions: int) -> list[float]:
    """Call ``fn`` (which returns one measurement) ``repetitions`` times."""
    return [fn() for _ in range(repetitions)]


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def show(title: str, figures: list[Figure]) -> None:
    """Print the figures as a table with median, min and max."""
    table = Table(title=title)
    for column in ("measurement", "median", "min", "max", "unit", "runs"):
        table.add_column(column, justify="right" if column != "measurement" else "left")
    for fig in figures:
        table.add_row(
            fig.name,
            f"{fig.median:.4g}",
            f"{min(fig.samples):.4g}",
            f"{max(fig.samples):.4g}",
            fig.unit,
            str(len(fig.samples)),
        )
    Console().print(table)
