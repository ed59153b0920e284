"""The default executor: each code block runs inside a fresh bubblewrap sandbox.

What the code sees: the work dir read-write at /workspace (also cwd and HOME), read-only
/usr (+ merged-/usr symlinks), a short allow-list of /etc, the Python installation running
convogen (venv and base prefix) at their host paths, a size-limited tmpfs /tmp, a private
/proc and a minimal /dev. It runs in new user, PID, network (loopback only unless
network=True), IPC, UTS and cgroup namespaces as uid 65534, with an empty environment plus
PATH, HOME, LANG and PYTHONUNBUFFERED.

Limits (all totals for one block's run, whatever the number of processes):

- ``timeout`` (60 s): wall clock; the whole sandbox is killed when it passes.
- ``memory_mb`` (2048): memory of all processes together, pages written to /tmp included.
  Enforced by a per-run cgroup where one can be created (cgroup v2 delegation, or v1 as
  root), else by a watchdog polling the resident memory of the whole process tree plus /tmp
  (an overrun between two polls, 50 ms apart, is possible there). Each process also gets
  RLIMIT_AS = memory_mb, so a single runaway allocation fails with MemoryError.
- ``max_processes`` (64): processes at once (cgroup pids.max, and RLIMIT_NPROC).
- ``tmp_mb`` (256): size of the tmpfs /tmp (its pages also count against memory_mb).
- ``disk_mb`` (2048): what the work dir may hold while code runs, all files together. A
  watchdog polls it; on an overrun the sandbox is killed and the files the run created are
  removed. ``max_file_mb`` (256) still bounds one file (RLIMIT_FSIZE).
- ``cpu_seconds`` (timeout + 1): CPU time per process (RLIMIT_CPU).

No process outlives the run or convogen itself: a supervisor (_launch.py) sits between
convogen and bwrap with a parent-death signal and kills the whole tree when convogen dies,
even during start-up; bwrap runs with --die-with-parent.

When the host process is root, code runs as host uid 65534 (see _launch.py): the work dir is
lent to that uid (chowned) for the duration of each run and its owner restored afterwards;
extra_rw_mounts must be writable by it. The work dir must pass ``check_work_dir`` (no system
or hidden home directories) and must not contain the Python installation or the home.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path

from convogen.code._blocks import run_blocks
from convogen.code._bwrap import (
    SANDBOX_WORK_DIR,
    BwrapPlan,
    build_argv,
    make_private_dir,
    python_dirs,
    write_identity_files,
)
from convogen.code._cgroup import RunCgroup, create_run_cgroup
from convogen.code._lifecycle import ReleasesOnClose
from convogen.code._process import RunOutcome, run_command
from convogen.code._reaper import BwrapSupervisor
from convogen.code._validate import (
    check_env,
    check_mounts,
    check_positive_int,
    check_sandbox_work_dir,
    check_timeout,
    is_secret_name,
    without_secrets,
)
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.code.workdir import check_work_dir
from convogen.errors import ConfigError, SandboxUnavailableError

INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: `apt-get install -y bubblewrap`; Fedora: "
    "`dnf install bubblewrap`) and make sure unprivileged user namespaces are allowed "
    "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0)"
)
PROBE_MARKER = "convogen-sandbox-probe-ok"
# Host uid/gid that code runs as when the host process is root (see _launch.py for why).
NOBODY = (65534, 65534)
# Exit code of a run killed for exceeding a total whose payload had reported success.
KILLED_EXIT_CODE = 137

# Probe results per (bwrap path, host ids): the probe costs a process start, do it once.
_probe_cache: dict[tuple[str, tuple[int, int] | None], str | None] = {}
_probe_lock = threading.Lock()


class SandboxCodeExecutor(ReleasesOnClose):
    """Runs code blocks under bubblewrap: private filesystem view, no network, rlimits."""

    def __init__(
        self,
        timeout: float = 60,
        work_dir: str | Path = "coding",
        network: bool = False,
        extra_ro_mounts: Sequence[str | Path] = (),
        extra_rw_mounts: Sequence[str | Path] = (),
        memory_mb: int = 2048,
        cpu_seconds: int | None = None,
        max_processes: int = 64,
        max_file_mb: int = 256,
        max_output_bytes: int = 64 * 1024,
        extra_env: Mapping[str, str] | None = None,
        bwrap_path: str | None = None,
        tmp_mb: int = 256,
        disk_mb: int = 2048,
    ) -> None:
        self._timeout = check_timeout(timeout)
        if not isinstance(network, bool):
            raise ConfigError("network", network, "must be a bool")
        self._network = network
        self._ro_mounts = check_mounts("extra_ro_mounts", extra_ro_mounts)
        self._rw_mounts = check_mounts("extra_rw_mounts", extra_rw_mounts)
        self._memory_mb = check_positive_int("memory_mb", memory_mb)
        default_cpu = int(self._timeout) + 1
        self._cpu_seconds = check_positive_int(
            "cpu_seconds", default_cpu if cpu_seconds is None else cpu_seconds
        )
        self._max_processes = check_positive_int("max_processes", max_processes)
        self._max_file_mb = check_positive_int("max_file_mb", max_file_mb)
        self._tmp_mb = check_positive_int("tmp_mb", tmp_mb)
        self._disk_mb = check_positive_int("disk_mb", disk_mb)
        self._max_output_bytes = check_positive_int("max_output_bytes", max_output_bytes)
        self._extra_env = check_env("extra_env", extra_env or {}, is_secret_name)
        found = bwrap_path if bwrap_path is not None else shutil.which("bwrap")
        if not found:
            raise SandboxUnavailableError(f"bwrap was not found on PATH; {INSTALL_HINT}")
        self._bwrap_path = found
        # As root, code must not run with a root identity on the host (see _launch.py).
        self._host_ids: tuple[int, int] | None = NOBODY if os.geteuid() == 0 else None
        # The work dir is mounted read-write: it must not contain the interpreter that
        # runs the code, nor the host user's home (keys, shell profiles).
        self._work_dir = check_sandbox_work_dir(
            check_work_dir(work_dir), [*python_dirs(), Path.home().resolve()]
        )
        self._private_dir = make_private_dir(reachable_by_others=self._host_ids is not None)
        self._finalizer = weakref.finalize(
            self, shutil.rmtree, str(self._private_dir), ignore_errors=True
        )
        write_identity_files(self._private_dir)
        # Probe first, in a scratch work dir: an unusable sandbox must not touch work_dir.
        self._probe()
        self._prepare_work_dir()

    @property
    def work_dir(self) -> Path:
        """The host directory mounted read-write at /workspace inside the sandbox."""
        return self._work_dir

    @property
    def timeout(self) -> float:
        """Wall-clock seconds one block may run."""
        return self._timeout

    def _prepare_work_dir(self, work_dir: Path | None = None) -> None:
        # Not chowned here: the launcher lends it to the sandbox uid only while code runs.
        (work_dir or self._work_dir).mkdir(parents=True, exist_ok=True)

    def _plan(self, work_dir: Path | None = None, cgroup: RunCgroup | None = None) -> BwrapPlan:
        mib = 1024 * 1024
        watched = None if cgroup is not None and cgroup.limits_memory else self._memory_mb * mib
        return BwrapPlan(
            bwrap_path=self._bwrap_path,
            work_dir=work_dir or self._work_dir,
            private_dir=self._private_dir,
            network=self._network,
            ro_mounts=self._ro_mounts,
            rw_mounts=self._rw_mounts,
            env=self._environment(),
            rlimits={
                "cpu": self._cpu_seconds,
                "as": self._memory_mb * mib,
                "nproc": self._max_processes,
                "fsize": self._max_file_mb * mib,
                "core": 0,
            },
            host_ids=self._host_ids,
            tmp_bytes=self._tmp_mb * mib,
            cgroup_procs=cgroup.procs_files() if cgroup is not None else (),
            memory_watch_bytes=watched,
            disk_quota_bytes=self._disk_mb * mib,
        )

    def _environment(self) -> dict[str, str]:
        """A fresh environment: nothing of the host's is inherited except the locale."""
        python_bin = os.path.dirname(sys.executable)
        env = {
            "PATH": f"{python_bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": SANDBOX_WORK_DIR,
            "LANG": os.environ.get("LANG", "C.UTF-8") or "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "TMPDIR": "/tmp",
        }
        env.update(self._extra_env)
        return without_secrets(env)

    def _host_env(self) -> dict[str, str]:
        """The environment of bwrap itself (bwrap --clearenv scrubs it for the payload)."""
        return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}

    def _probe(self) -> None:
        """Start one tiny sandbox (once per bwrap/identity) and fail loudly if it cannot."""
        key = (self._bwrap_path, self._host_ids)
        with _probe_lock:
            if key not in _probe_cache:
                _probe_cache[key] = self._run_probe()
            problem = _probe_cache[key]
        if problem is not None:
            raise SandboxUnavailableError(
                f"the bubblewrap sandbox cannot start (bwrap_path={self._bwrap_path!r}): "
                f"{problem}; {INSTALL_HINT}. convogen never falls back to running code on "
                "the host; use executor='local' explicitly if you accept that risk."
            )

    def _run_probe(self) -> str | None:
        if not os.access(self._bwrap_path, os.X_OK):
            return f"{self._bwrap_path} does not exist or is not executable"
        scratch = self._private_dir / "probe-work"
        self._prepare_work_dir(scratch)
        try:
            command = ["sh", "-c", f"echo {PROBE_MARKER}"]
            outcome = self._run_sandboxed(command, 30, 4096, work_dir=scratch)
        except OSError as exc:
            return f"cannot execute {self._bwrap_path}: {exc}"
        if outcome.exit_code != 0 or PROBE_MARKER not in outcome.output:
            return f"probe exited with {outcome.exit_code}: {outcome.output.strip()[:500]}"
        return None

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run the blocks in order, each in a fresh sandbox, stopping at the first failure."""
        self._prepare_work_dir()
        return run_blocks(self._work_dir, code_blocks, self._run_one, self._host_ids)

    def _run_one(self, language: str, rel_path: str) -> RunOutcome:
        program = sys.executable if language == "python" else "sh"
        return self._run_sandboxed([program, rel_path], self._timeout, self._max_output_bytes)

    def _run_sandboxed(
        self, command: list[str], timeout: float, max_output: int, work_dir: Path | None = None
    ) -> RunOutcome:
        target = work_dir or self._work_dir
        owner = _owner(target)
        supervisor = BwrapSupervisor()
        # Room for bwrap's own two processes (monitor and init) next to the payload's.
        cgroup = create_run_cgroup(self._memory_mb * 1024 * 1024, self._max_processes + 2)
        plan = self._plan(target, cgroup)
        plan.info_fd = supervisor.write_fd
        plan.status_fd = supervisor.status_write_fd
        try:
            outcome = run_command(
                build_argv(plan, command),
                cwd=self._private_dir,
                env=self._host_env(),
                timeout=timeout,
                max_output_bytes=max_output,
                pass_fds=(supervisor.write_fd, supervisor.status_write_fd),
                supervisor=supervisor,
            )
            oom = cgroup is not None and cgroup.oom_killed()
        finally:
            supervisor.close()
            if cgroup is not None:
                cgroup.destroy()
            _restore_owner(target, owner)  # the launcher does too, unless it was killed
        return self._annotate(outcome, "memory" if oom else supervisor.killed_for)

    def _annotate(self, outcome: RunOutcome, killed_for: str | None) -> RunOutcome:
        """Say in the output which total the run exceeded."""
        if killed_for == "disk":
            note = f"the work dir exceeded its disk quota of {self._disk_mb} MiB"
        elif killed_for == "memory":
            note = f"the sandbox exceeded its memory total of {self._memory_mb} MiB"
        else:
            return outcome
        outcome.output += f"\nKilled: {note}\n"
        outcome.killed_for = killed_for
        if outcome.exit_code == 0:
            outcome.exit_code = KILLED_EXIT_CODE
        return outcome

    def restart(self) -> None:
        """Nothing to reset: every block runs in a fresh sandbox."""


def _owner(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return info.st_uid, info.st_gid


def _restore_owner(path: Path, owner: tuple[int, int] | None) -> None:
    """Give a lent work dir back to its owner (a no-op when it was not lent)."""
    if owner is not None and _owner(path) != owner:
        with contextlib.suppress(OSError):
            os.chown(path, *owner, follow_symlinks=False)
