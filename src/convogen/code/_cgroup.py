"""A per-run control group: memory (tmpfs pages included) and process totals for one sandbox.

RLIMIT_AS and RLIMIT_NPROC are per process (or per host uid), so N processes may use N times
the memory limit. A cgroup bounds the run as a whole: every process of the sandbox joins it
(the launcher writes its own pid before starting bwrap) and the kernel charges their pages,
including what they write to the sandbox's tmpfs /tmp. cgroup v2 (delegated or as root) and
the v1 ``memory`` and ``pids`` hierarchies are both supported; where neither can be written,
``create_run_cgroup`` returns None and the launcher's polling watchdog takes over.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
_PREFIX = "convogen-"
_KILL_ROUNDS = 200


@dataclass(frozen=True)
class _Layout:
    """Where this process may create child cgroups: (controller -> parent directory)."""

    version: int
    parents: dict[str, Path]


@dataclass(frozen=True)
class RunCgroup:
    """The cgroup (one directory per v1 hierarchy, one in v2) of one sandbox run."""

    version: int
    dirs: dict[str, Path]

    @property
    def limits_memory(self) -> bool:
        """Whether the memory total of the run is enforced by the kernel."""
        return "memory" in self.dirs

    def procs_files(self) -> list[str]:
        """The cgroup.procs files the launcher writes its pid into."""
        return sorted({str(d / "cgroup.procs") for d in self.dirs.values()})

    def memory_peak_bytes(self) -> int | None:
        """The highest memory charge of the run so far (None where the kernel keeps none)."""
        directory = self.dirs.get("memory")
        if directory is None:
            return None
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        return _read_int(directory / name)

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of the run for exceeding the memory total."""
        directory = self.dirs.get("memory")
        if directory is None:
            return False
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            lines = (directory / name).read_text().splitlines()
        except OSError:
            return False
        counts = dict(line.split(" ", 1) for line in lines if " " in line)
        return int(counts.get("oom_kill", "0") or 0) > 0

    def destroy(self) -> None:
        """SIGKILL whatever is still in the cgroup, then remove its directories."""
        for directory in self.dirs.values():
            _kill_members(directory)
        for directory in self.dirs.values():
            _remove(directory)


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _members(directory: Path) -> list[int]:
    try:
        return [int(p) for p in (directory / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _kill_members(directory: Path) -> None:
    """Kill every member until none is left (new forks are caught by the next round)."""
    with contextlib.suppress(OSError):
        (directory / "cgroup.kill").write_text("1")  # v2 (5.14+): one atomic write
    for _ in range(_KILL_ROUNDS):
        pids = _members(directory)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.001)


def _remove(directory: Path) -> None:
    """rmdir a cgroup; it is busy for a moment while its last members are being reaped."""
    for _ in range(_KILL_ROUNDS):
        try:
            directory.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.002)


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per hierarchy ('' is the v2 unified hierarchy)."""
    paths: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                paths[name] = path
    return paths


def _detect() -> _Layout | None:
    """Find writable parents for child cgroups, v2 first, then v1 memory/pids."""
    paths = _own_paths()
    if "" in paths and (CGROUP_ROOT / "cgroup.controllers").exists():
        parent = CGROUP_ROOT / paths[""].lstrip("/")
        if _v2_delegates(parent):
            return _Layout(2, {"memory": parent, "pids": parent})
    parents: dict[str, Path] = {}
    for controller in ("memory", "pids"):
        mount = CGROUP_ROOT / controller
        if controller in paths and (mount / "cgroup.procs").exists():
            parent = mount / paths[controller].lstrip("/")
            if os.access(parent, os.W_OK):
                parents[controller] = parent
    return _Layout(1, parents) if parents else None


def _v2_delegates(parent: Path) -> bool:
    """Whether children of parent get the memory and pids controllers, enabling them if we may."""
    try:
        enabled = (parent / "cgroup.subtree_control").read_text().split()
        if not {"memory", "pids"} <= set(enabled):
            (parent / "cgroup.subtree_control").write_text("+memory +pids")
    except OSError:
        return False  # not delegated to us, or the no-internal-processes rule applies
    return os.access(parent, os.W_OK)


_layout: list[_Layout | None] = []
_layout_lock = threading.Lock()


def _cached_layout() -> _Layout | None:
    with _layout_lock:
        if not _layout:
            layout = _detect()
            if layout is not None:
                _remove_stale(layout)
            _layout.append(layout)
        return _layout[0]


def _remove_stale(layout: _Layout) -> None:
    """Remove the empty cgroups that runs of dead convogen processes left behind."""
    for parent in set(layout.parents.values()):
        with contextlib.suppress(OSError):
            for child in parent.glob(f"{_PREFIX}*"):
                owner = child.name.split("-")[1]
                if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                    with contextlib.suppress(OSError):
                        child.rmdir()


def _limit(directory: Path, version: int, controller: str, value: int) -> None:
    if controller == "pids":
        (directory / "pids.max").write_text(str(value))
    elif version == 2:
        (directory / "memory.max").write_text(str(value))
        with contextlib.suppress(OSError):
            (directory / "memory.swap.max").write_text("0")
    else:
        (directory / "memory.limit_in_bytes").write_text(str(value))
        with contextlib.suppress(OSError):  # absent without swap accounting
            (directory / "memory.memsw.limit_in_bytes").write_text(str(value))


def create_run_cgroup(memory_bytes: int, max_pids: int) -> RunCgroup | None:
    """A fresh cgroup limited to memory_bytes and max_pids, or None where none can be made."""
    layout = _cached_layout()
    if layout is None:
        return None
    name = f"{_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    limits = {"memory": memory_bytes, "pids": max_pids}
    dirs: dict[str, Path] = {}
    try:
        for controller, parent in layout.parents.items():
            directory = dirs.get(controller) or parent / name
            if directory not in dirs.values():
                directory.mkdir()
            dirs[controller] = directory
            _limit(directory, layout.version, controller, limits[controller])
    except OSError:
        RunCgroup(layout.version, dirs).destroy()
        return None
    return RunCgroup(layout.version, dirs)
