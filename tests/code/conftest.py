"""Fixtures of the code-execution tests, and the containment tally printed after the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from code_test_support import sandbox_problem, sandbox_processes

from convogen.code.sandbox import SandboxCodeExecutor

CONTAINMENT_MARK = "containment"
_tally: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of hostile-payload tests."""
    config.addinivalue_line(
        "markers", f"{CONTAINMENT_MARK}: a hostile payload that the sandbox must contain"
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record, per containment test, whether every phase passed."""
    if CONTAINMENT_MARK not in report.keywords:
        return
    previous = _tally.get(report.nodeid, "passed")
    if report.skipped:
        _tally[report.nodeid] = "skipped"
    elif report.failed:
        _tally[report.nodeid] = "failed"
    elif previous != "failed":
        _tally[report.nodeid] = previous


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print `containment: N/M payloads contained`, visible with or without -s."""
    if not _tally:
        return
    ran = [outcome for outcome in _tally.values() if outcome != "skipped"]
    contained = sum(1 for outcome in ran if outcome == "passed")
    skipped = len(_tally) - len(ran)
    line = f"containment: {contained}/{len(ran)} payloads contained"
    if skipped:
        line += f" ({skipped} skipped: sandbox unavailable)"
    terminalreporter.write_sep("-", line)


@pytest.fixture
def require_sandbox() -> None:
    """Skip when bubblewrap cannot start on this machine."""
    problem = sandbox_problem()
    if problem is not None:
        pytest.skip(f"bubblewrap sandbox unavailable: {problem}")


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    """A fresh work dir, with a sibling 'outside' dir for host canaries."""
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def sandbox(require_sandbox: None, work_dir: Path) -> Iterator[SandboxCodeExecutor]:
    """A sandbox with tight limits suited to tests."""
    executor = SandboxCodeExecutor(
        timeout=5, work_dir=work_dir, memory_mb=512, max_processes=32, max_output_bytes=16384
    )
    yield executor
    # Whatever the test ran, nothing of its sandboxes may outlive execute_code_blocks.
    assert sandbox_processes(executor) == []
    executor.close()
