"""Usage figures the sandbox supervisor polls: a process tree's memory, a directory's disk use.

Imported by the launcher script (``_launch.py``), so it uses only the standard library.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing's: the launcher imports this module on every run
if TYPE_CHECKING:
    from types import TracebackType

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class Quiet:
    """Like contextlib.suppress, without its import cost (the launcher starts on every run)."""

    def __init__(self, *errors: type[BaseException]) -> None:
        self.errors = errors or (OSError,)

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        return kind is not None and issubclass(kind, self.errors)


# A directory holding more entries than this counts as over quota: scanning millions of
# files every poll would let the payload outrun the watchdog.
MAX_ENTRIES = 100_000


def _stat_fields(pid: str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when pid is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    """Every live process below root (orphans stay below it when root is a subreaper)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(entry)
        if fields is None or len(fields) < 2 or fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def tree_memory_bytes(pids: list[int]) -> int:
    """Resident memory of the processes plus what they hold in their private /tmp."""
    total = 0
    for pid in pids:
        fields = _stat_fields(str(pid))
        if fields is not None and len(fields) > 21:
            total += int(fields[21]) * PAGE_SIZE
    # The sandbox's tmpfs /tmp lives in memory: count it once, seen through a process inside
    # the sandbox's mount namespace (bwrap's outer process still sees the host's /tmp).
    return total + _sandbox_tmp_bytes(pids)


def _sandbox_tmp_bytes(pids: list[int]) -> int:
    """Bytes used in the /tmp seen by the first of pids whose root is not ours (the sandbox)."""
    host_root = os.stat("/")
    for pid in reversed(pids):
        try:
            root = os.stat(f"/proc/{pid}/root")
            if (root.st_dev, root.st_ino) == (host_root.st_dev, host_root.st_ino):
                continue
            info = os.statvfs(f"/proc/{pid}/root/tmp")
        except OSError:
            continue
        return (info.f_blocks - info.f_bfree) * info.f_frsize
    return 0


def disk_usage_bytes(root: str, max_entries: int = MAX_ENTRIES) -> int | None:
    """Bytes allocated below root (symlinks not followed); None past max_entries entries."""
    total = 0
    entries = 0
    pending = [root]
    while pending:
        with Quiet(), os.scandir(pending.pop()) as scan:
            for entry in scan:
                entries += 1
                if entries > max_entries:
                    return None
                with Quiet():
                    info = entry.stat(follow_symlinks=False)
                    total += info.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
    return total
