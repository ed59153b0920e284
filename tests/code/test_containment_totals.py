"""Hostile payloads against the sandbox's totals: memory, /tmp, disk, and convogen's death.

Each limit is a total for the whole run, whatever the number of processes or files. The
tests use small limits so they stay fast; each prints the host's figures before and after
(run with ``-s`` to see them). Memory is checked twice: with the per-run cgroup (where this
machine offers one) and with the polling watchdog that replaces it elsewhere.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from code_test_support import host_figures, leftover_processes, sandbox_processes

from convogen.code import CodeBlock, CodeResult, SandboxCodeExecutor
from convogen.code import sandbox as sandbox_module

pytestmark = pytest.mark.containment

TIMEOUT = 6.0
MEMORY_MB = 256
TMP_MB = 32
DISK_MB = 64
MIB = 1024 * 1024


@pytest.fixture(params=["cgroup", "watchdog"])
def accounting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run once with the per-run cgroup (when available) and once with the watchdog only."""
    mode = str(request.param)
    if mode == "watchdog":
        monkeypatch.setattr(sandbox_module, "create_run_cgroup", lambda *_: None)
    return mode


@pytest.fixture
def jail(require_sandbox: None, work_dir: Path, accounting: str) -> Iterator[SandboxCodeExecutor]:
    """A sandbox with small totals."""
    executor = SandboxCodeExecutor(
        timeout=TIMEOUT,
        work_dir=work_dir,
        memory_mb=MEMORY_MB,
        max_processes=16,
        tmp_mb=TMP_MB,
        disk_mb=DISK_MB,
    )
    yield executor
    assert sandbox_processes(executor) == []
    executor.close()


def run_reporting(jail: SandboxCodeExecutor, name: str, code: str) -> CodeResult:
    """Run one python block, printing the host's figures before and after."""
    before = host_figures(jail.work_dir)
    result = jail.execute_code_blocks([CodeBlock(code, "python")])
    after = host_figures(jail.work_dir)
    print(f"\n[{name}] before={before} after={after} exit={result.exit_code}")
    print(f"[{name}] output tail: {result.output[-300:]!r}")
    return result


def test_three_children_share_one_memory_total(jail: SandboxCodeExecutor) -> None:
    # Each child stays under the per-process RLIMIT_AS; together they are 1.8x the total.
    code = textwrap.dedent(
        """
        import os, time
        pids = []
        for n in range(3):
            pid = os.fork()
            if pid == 0:
                block = b"x" * (150 * 1024 * 1024)  # written, so resident
                print("child", n, "holds", len(block) >> 20, "MiB", flush=True)
                time.sleep(2)
                os._exit(0)
            pids.append(pid)
        print("statuses", [os.waitpid(pid, 0)[1] for pid in pids], flush=True)
        """
    )
    result = run_reporting(jail, "3 children x 150 MiB, total 256 MiB", code)
    assert "exceeded its memory total of 256 MiB" in result.output
    assert result.output.count("holds") < 3 or "statuses [0, 0, 0]" not in result.output


def test_tmp_is_bounded_by_its_size(jail: SandboxCodeExecutor) -> None:
    code = textwrap.dedent(
        """
        written = 0
        try:
            with open("/tmp/fill", "wb") as f:
                for _ in range(200):
                    f.write(b"t" * (1024 * 1024))
                    f.flush()
                    written += 1
        except OSError as exc:
            print("stopped at", written, "MiB errno", exc.errno)
        """
    )
    result = run_reporting(jail, "200 MiB into a 32 MiB /tmp", code)
    assert "errno 28" in result.output  # ENOSPC
    assert int(result.output.split("stopped at ")[1].split()[0]) <= TMP_MB


def test_tmp_counts_against_the_memory_total(
    require_sandbox: None, work_dir: Path, accounting: str
) -> None:
    executor = SandboxCodeExecutor(timeout=TIMEOUT, work_dir=work_dir, memory_mb=96, tmp_mb=512)
    code = textwrap.dedent(
        """
        import time
        written = 0
        with open("/tmp/fill", "wb") as f:
            for _ in range(300):
                f.write(b"t" * (1024 * 1024))
                f.flush()
                written += 1
                print("wrote", written, flush=True)
                time.sleep(0.002)
        print("all written")
        """
    )
    try:
        result = run_reporting(executor, "300 MiB into /tmp, memory total 96 MiB", code)
    finally:
        executor.close()
    assert "all written" not in result.output
    written = [int(line.split()[1]) for line in result.output.splitlines() if line[:5] == "wrote"]
    assert max(written, default=0) < 160  # the total, plus at most a watchdog poll's worth


def test_many_files_stop_at_the_disk_quota_and_are_removed(jail: SandboxCodeExecutor) -> None:
    code = textwrap.dedent(
        """
        import os
        os.makedirs("spill", exist_ok=True)
        open("theirs/planted.bin", "wb").write(b"p" * 4096)
        for n in range(5000):  # 5 GiB in 1 MiB files, if nothing stopped it
            with open(f"spill/part{n}.bin", "wb") as f:
                f.write(b"d" * (1024 * 1024))
            if n % 16 == 0:
                print("files", n, flush=True)
        print("all written")
        """
    )
    (jail.work_dir / "mine.txt").write_text("the user's own file")
    (jail.work_dir / "theirs").mkdir(mode=0o777)  # the user's own, empty, directory
    (jail.work_dir / "theirs").chmod(0o777)
    result = run_reporting(jail, "5 GiB in 1 MiB files, quota 64 MiB", code)
    assert "all written" not in result.output and result.exit_code != 0
    assert f"exceeded its disk quota of {DISK_MB} MiB" in result.output
    left = sorted(p.name for p in jail.work_dir.iterdir())
    assert left[:2] == ["mine.txt", "theirs"] and len(left) == 3 and left[2].endswith(".py")
    assert list((jail.work_dir / "theirs").iterdir()) == []


SPAWNER = """
import sys
from pathlib import Path
from convogen.code import CodeBlock, SandboxCodeExecutor
executor = SandboxCodeExecutor(work_dir=Path(sys.argv[1]), timeout=60)
print("ready", flush=True)
sys.stdin.readline()
executor.execute_code_blocks([CodeBlock(f"# filename: {sys.argv[2]}.py\\n"
    "import time, subprocess, sys\\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'] + sys.argv)\\n"
    "time.sleep(300)", "python")])
"""
TRIES = 25
BATCH = 5


def _spawn(work_dir: Path, marker: str) -> subprocess.Popen[str]:
    """A convogen process that has built its sandbox and waits for 'go' to run a payload."""
    return subprocess.Popen(
        [sys.executable, "-c", SPAWNER, str(work_dir), marker],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _kill_during_start(proc: subprocess.Popen[str], delay: float) -> None:
    """Let proc start its sandbox, SIGKILL it `delay` s into the start."""
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    time.sleep(delay)  # the point of the test: land the kill somewhere in the start-up
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdin.close()
    proc.stdout.close()


def test_killing_convogen_during_sandbox_start_leaves_no_survivor(
    require_sandbox: None, tmp_path: Path
) -> None:
    markers = [f"convogen-start-{uuid.uuid4().hex}" for _ in range(TRIES)]
    killed: list[int] = []
    for first in range(0, TRIES, BATCH):
        # Start-ups (imports, the probe) run in parallel; the kills one at a time.
        batch = [_spawn(tmp_path / f"work{i}", markers[i]) for i in range(first, first + BATCH)]
        killed += [proc.pid for proc in batch]
        for index, proc in enumerate(batch, start=first):
            # Delays spread over the start-up window (launcher, bwrap, payload): 0..240 ms.
            _kill_during_start(proc, index * 0.010)
    # A survivor would still be starting: give it the time a start takes to show up.
    deadline = time.monotonic() + 2.0
    survivors: list[str] = []
    while time.monotonic() < deadline and not survivors:
        survivors = [p for m in markers for p in leftover_processes(m)]
        time.sleep(0.1)  # polling for an absence: nothing to wait on
    print(f"\n[parent SIGKILL during start] tries={TRIES} survivors={len(survivors)}")
    assert survivors == []
    # The supervisor cleaned up after its dead parent: work dirs given back, and no process
    # left in a cgroup of the dead (a kill landing between the cgroup's creation and the
    # launcher's start leaves an empty one, which the next convogen process removes).
    assert {os.stat(tmp_path / f"work{i}").st_uid for i in range(TRIES)} == {os.getuid()}
    cgroups = [p for pid in killed for p in Path("/sys/fs/cgroup").rglob(f"convogen-{pid}-*")]
    assert [p for p in cgroups if (p / "cgroup.procs").read_text().strip()] == []


def test_work_dir_owner_is_given_back_after_a_timeout(
    require_sandbox: None, work_dir: Path
) -> None:
    before = os.stat(work_dir)
    executor = SandboxCodeExecutor(timeout=1, work_dir=work_dir)
    try:
        result = executor.execute_code_blocks(
            [CodeBlock("open('w.txt', 'w')\nwhile 1: pass", "python")]
        )
    finally:
        executor.close()
    after = os.stat(work_dir)
    assert result.exit_code == 124 and (work_dir / "w.txt").exists()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_ordinary_code_runs_under_the_watchdog(
    require_sandbox: None, work_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The watchdog polls from the start-up on; the host's own /tmp must never count.
    monkeypatch.setattr(sandbox_module, "create_run_cgroup", lambda *_: None)
    executor = SandboxCodeExecutor(timeout=TIMEOUT, work_dir=work_dir, memory_mb=64)
    try:
        results = [
            executor.execute_code_blocks([CodeBlock("import time; time.sleep(0.1)", "python")])
            for _ in range(5)
        ]
    finally:
        executor.close()
    assert [r.exit_code for r in results] == [0] * 5, [r.output for r in results]


def test_a_work_dir_already_over_quota_runs_nothing(require_sandbox: None, work_dir: Path) -> None:
    (work_dir / "existing.bin").write_bytes(b"e" * 3 * MIB)
    executor = SandboxCodeExecutor(timeout=TIMEOUT, work_dir=work_dir, disk_mb=2)
    try:
        result = executor.execute_code_blocks([CodeBlock("open('ran', 'w')", "python")])
    finally:
        executor.close()
    assert result.exit_code != 0 and "exceeded its disk quota of 2 MiB" in result.output
    assert not (work_dir / "ran").exists() and (work_dir / "existing.bin").exists()
