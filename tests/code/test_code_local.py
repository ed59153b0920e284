"""The local executor: unsafe by design, so it warns, and it still kills what it started."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from code_test_support import leftover_processes

from convogen.code import CodeBlock, LocalCommandLineCodeExecutor


def test_construction_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="convogen.code"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path)
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "sandbox" in caplog.records[0].getMessage()


def test_timeout_kills_the_process_group(tmp_path: Path) -> None:
    marker = f"local-group-{time.monotonic_ns()}"
    executor = LocalCommandLineCodeExecutor(timeout=1, work_dir=tmp_path)
    code = f"sleep 30 &\nexec sh -c 'sleep 30; echo {marker}'"
    result = executor.execute_code_blocks([CodeBlock(code, "sh")])
    assert result.exit_code == 124 and "Timeout" in result.output
    assert leftover_processes(marker, grace=2) == []


def test_background_job_does_not_hold_the_run(tmp_path: Path) -> None:
    marker = f"local-bg-{time.monotonic_ns()}"
    executor = LocalCommandLineCodeExecutor(timeout=10, work_dir=tmp_path)
    started = time.monotonic()
    result = executor.execute_code_blocks(
        [CodeBlock(f"sh -c 'sleep 30; : {marker}' &\necho done", "sh")]
    )
    assert result.exit_code == 0 and result.output == "done\n"
    assert time.monotonic() - started < 5
    assert leftover_processes(marker, grace=2) == []


def test_env_is_inherited_or_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOGEN_LOCAL_PROBE", "inherited")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local-canary")
    inherited = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    given = LocalCommandLineCodeExecutor(work_dir=tmp_path, env={"PATH": "/usr/bin:/bin"})
    block = [CodeBlock("echo ${CONVOGEN_LOCAL_PROBE:-unset}", "sh")]
    assert inherited.execute_code_blocks(block).output == "inherited\n"
    assert given.execute_code_blocks(block).output == "unset\n"
    leak = [CodeBlock("echo ${OPENAI_API_KEY:-scrubbed}", "sh")]
    assert inherited.execute_code_blocks(leak).output == "scrubbed\n"
