"""Shared helpers for benchmark scripts: figures, targets, tables, and the saved previous run.

A ``Figure`` is one measured quantity over several runs; ``show`` prints figures as a table
with median/min/max (and, when given, the issue's target and the previous run's median). When
the environment names a file in ``BENCH_JSON_OUT``, ``show`` also writes its figures there as
JSON, so ``run_all.py`` can run any script that uses ``show`` as a row of its own table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

JSON_OUT_ENV = "BENCH_JSON_OUT"


@dataclass(frozen=True)
class Target:
    """A bound a median must meet: ``op`` is ``">="``, ``"<="`` or ``"<"``."""

    op: str
    value: float

    def __post_init__(self) -> None:
        if self.op not in (">=", "<=", "<"):
            raise ValueError(f"target op must be '>=', '<=' or '<', got {self.op!r}")

    def met(self, value: float) -> bool:
        """Whether ``value`` meets the bound."""
        if self.op == ">=":
            return value >= self.value
        return value <= self.value if self.op == "<=" else value < self.value

    def text(self) -> str:
        """The bound as printed, e.g. ``<= 0.35``."""
        return f"{self.op} {self.value:,.4g}"


@dataclass
class Figure:
    """One measured quantity over several repetitions."""

    name: str
    unit: str
    samples: list[float]
    target: Target | None = None
    errors: int | None = None
    error_messages: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool | None:
        """Whether the median meets the target (None without a target)."""
        return None if self.target is None else self.target.met(self.median)


def repeat(fn: Callable[[], float], repetitions: int) -> list[float]:
    """Call ``fn`` (which returns one measurement) ``repetitions`` times."""
    return [fn() for _ in range(repetitions)]


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def number(value: float) -> str:
    """Four significant digits with thousands separators (``2,512``, ``0.03412``)."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def change(new: float, old: float | None) -> str:
    """The change from ``old`` to ``new`` in percent, or an empty string without ``old``."""
    if old is None:
        return ""
    if old == 0:
        return "n/a"
    return f"{(new - old) / abs(old) * 100:+.1f}%"


def verdict(fig: Figure) -> str:
    """``yes`` / ``NO`` / empty, for the 'met' column."""
    met = fig.met
    return "" if met is None else ("yes" if met else "NO")


def row_cells(fig: Figure, previous: dict[str, float]) -> list[str]:
    """The table cells of one figure."""
    old = previous.get(fig.name)
    return [
        fig.name,
        number(fig.median),
        number(min(fig.samples)),
        number(max(fig.samples)),
        fig.unit,
        str(len(fig.samples)),
        "" if fig.errors is None else str(fig.errors),
        fig.target.text() if fig.target else "",
        verdict(fig),
        "" if old is None else number(old),
        change(fig.median, old),
    ]


COLUMNS = (
    "measurement",
    "median",
    "min",
    "max",
    "unit",
    "runs",
    "errors",
    "target",
    "met",
    "previous",
    "change",
)


def show(title: str, figures: list[Figure], previous: dict[str, float] | None = None) -> None:
    """Print the figures as a table (and export them when ``BENCH_JSON_OUT`` is set)."""
    previous = previous or {}
    table = Table(title=title)
    for column in COLUMNS:
        table.add_column(column, justify="left" if column == "measurement" else "right")
    for fig in figures:
        table.add_row(*row_cells(fig, previous))
    Console(width=max(200, Console().width)).print(table)
    for fig in figures:
        for message in fig.error_messages:
            print(f"error in {fig.name!r}: {message}")
    out = os.environ.get(JSON_OUT_ENV)
    if out:
        Path(out).write_text(json.dumps([figure_record(f) for f in figures], indent=1))


def markdown(figures: Iterable[Figure], previous: dict[str, float] | None = None) -> str:
    """The figures as a Markdown table (the README's table is pasted from this)."""
    previous = previous or {}
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for fig in figures:
        cells = [cell.replace("|", "/") for cell in row_cells(fig, previous)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def figure_record(fig: Figure) -> dict[str, Any]:
    """A JSON-ready record of one figure."""
    record = asdict(fig)
    record.update(
        median=fig.median,
        min=min(fig.samples),
        max=max(fig.samples),
        target=None if fig.target is None else asdict(fig.target),
        met=fig.met,
    )
    return record


def figure_from_record(record: dict[str, Any]) -> Figure:
    """A ``Figure`` back from ``figure_record``'s output."""
    target = record.get("target")
    return Figure(
        name=str(record["name"]),
        unit=str(record["unit"]),
        samples=[float(s) for s in record["samples"]],
        target=Target(**target) if target else None,
        errors=record.get("errors"),
        error_messages=list(record.get("error_messages") or []),
    )


def git_rev(root: Path) -> str:
    """The short commit of ``root`` with ``+dirty`` when the tree has changes, or ``unknown``."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (rev or "unknown") + ("+dirty" if dirty else "")


def save_run(path: Path, figures: list[Figure], root: Path, settings: dict[str, Any]) -> None:
    """Write the figures with date, git revision, core count and settings as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    run = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_rev": git_rev(root),
        "cpus": os.cpu_count(),
        # Other work on the machine skews every figure: the 1-minute load average at the end.
        "load_average": round(os.getloadavg()[0], 2),
        "settings": settings,
        "figures": [figure_record(f) for f in figures],
    }
    path.write_text(json.dumps(run, indent=1) + "\n")


def load_previous(path: Path) -> tuple[dict[str, float], str]:
    """Medians by figure name from a saved run, and a line saying which run it was."""
    if not path.is_file():
        return {}, f"no previous run at {path}"
    try:
        run = json.loads(path.read_text())
        medians = {str(f["name"]): float(f["median"]) for f in run["figures"]}
    except (ValueError, KeyError, TypeError) as exc:
        return {}, f"the previous run at {path} is unreadable ({exc}); not compared"
    about = (
        f"previous run: {run.get('date')} at {run.get('git_rev')} "
        f"({run.get('cpus')} CPUs, load {run.get('load_average', '?')})"
    )
    return medians, about


def load_exported(path: Path) -> list[Figure]:
    """The figures a child script wrote through ``BENCH_JSON_OUT``."""
    return [figure_from_record(r) for r in json.loads(path.read_text())]
