"""The local executor: unsafe by design, so it warns, and it still kills what it started."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from code_test_support import leftover_processes

from convogen.code import CodeBlock, LocalCommandLineCodeExecutor
from convogen.errors import ConfigError


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


def test_only_allow_listed_host_variables_reach_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVOGEN_LOCAL_PROBE", "inherited")
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    block = [CodeBlock("echo ${CONVOGEN_LOCAL_PROBE:-unset} ${HOME:+home-set}", "sh")]
    assert executor.execute_code_blocks(block).output == "unset home-set\n"


def test_pass_env_names_extra_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOGEN_LOCAL_PROBE", "passed")
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, pass_env=["CONVOGEN_LOCAL_PROBE"])
    block = [CodeBlock("echo ${CONVOGEN_LOCAL_PROBE:-unset}", "sh")]
    assert executor.execute_code_blocks(block).output == "passed\n"


def test_an_explicit_env_is_used_as_given(tmp_path: Path) -> None:
    given = LocalCommandLineCodeExecutor(work_dir=tmp_path, env={"PATH": "/usr/bin:/bin"})
    block = [CodeBlock("echo ${HOME:-no-home}", "sh")]
    assert given.execute_code_blocks(block).output == "no-home\n"


@pytest.mark.parametrize(
    "name", ["DATABASE_URL", "GITHUB_PAT", "HF_AUTH", "OPENAI_API_KEY", "SLACK_TOKEN"]
)
def test_credentials_stay_out_whatever_their_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "canary-secret")
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    result = executor.execute_code_blocks([CodeBlock("env", "sh")])
    assert result.exit_code == 0 and "canary-secret" not in result.output


def test_a_setsid_daemon_does_not_survive_the_run(tmp_path: Path) -> None:
    marker = f"local-daemon-{time.monotonic_ns()}"
    executor = LocalCommandLineCodeExecutor(timeout=10, work_dir=tmp_path)
    code = f"setsid sh -c 'sleep 30; : {marker}' </dev/null >/dev/null 2>&1 &\necho started"
    result = executor.execute_code_blocks([CodeBlock(code, "sh")])
    assert result.output == "started\n"
    assert leftover_processes(marker, grace=2) == []


def test_a_double_forked_python_daemon_does_not_survive_the_run(tmp_path: Path) -> None:
    marker = f"local-pydaemon-{time.monotonic_ns()}"
    executor = LocalCommandLineCodeExecutor(timeout=10, work_dir=tmp_path)
    code = (
        "import os, subprocess\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        f"    subprocess.Popen(['sh', '-c', 'sleep 30; : {marker}'], start_new_session=True,\n"
        "                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "    os._exit(0)\n"
        "os.wait()\n"
        "print('parent done')\n"
    )
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    assert result.output == "parent done\n"
    assert leftover_processes(marker, grace=2) == []


def test_a_setsid_daemon_does_not_survive_a_timeout(tmp_path: Path) -> None:
    marker = f"local-daemon-timeout-{time.monotonic_ns()}"
    executor = LocalCommandLineCodeExecutor(timeout=1, work_dir=tmp_path)
    code = f"setsid sh -c 'sleep 30; : {marker}' </dev/null >/dev/null 2>&1 &\nsleep 30"
    result = executor.execute_code_blocks([CodeBlock(code, "sh")])
    assert result.exit_code == 124
    assert leftover_processes(marker, grace=2) == []


@pytest.mark.parametrize("work_dir", ["/etc", "/usr/local/bin", "~/.ssh"])
def test_a_system_or_secret_work_dir_is_refused(work_dir: str) -> None:
    with pytest.raises(ConfigError, match="refused as a work dir"):
        LocalCommandLineCodeExecutor(work_dir=work_dir)
