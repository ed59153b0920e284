"""The figures the sandbox supervisor polls: process-tree memory and work-dir disk use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from convogen.code._watch import descendants, disk_usage_bytes, tree_memory_bytes

MIB = 1024 * 1024


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_descendants_include_grandchildren() -> None:
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'input()'])"
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        found: list[int] = []
        while len(found) < 2:  # the grandchild appears once the child has started it
            found = descendants(os.getpid())
        assert child.pid in found and len(found) == 2
    finally:
        child.kill()
        child.wait()


def test_a_host_process_is_counted_without_the_hosts_tmp() -> None:
    # The host's /tmp is not the sandbox's: only a process with another root adds its /tmp.
    measured = tree_memory_bytes([os.getpid()])
    assert abs(measured - _rss(os.getpid())) < 16 * MIB


def test_disk_usage_sums_every_file_below(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for index in range(8):
        (tmp_path / "a" / f"f{index}").write_bytes(b"x" * MIB)
    used = disk_usage_bytes(str(tmp_path))
    assert used is not None and 8 * MIB <= used < 9 * MIB


def test_disk_usage_does_not_follow_symlinks(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * MIB)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "link").symlink_to(tmp_path)
    used = disk_usage_bytes(str(inner))
    assert used is not None and used < MIB


def test_too_many_entries_count_as_over_quota(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"e{index}").touch()
    assert disk_usage_bytes(str(tmp_path), max_entries=3) is not None
    assert disk_usage_bytes(str(tmp_path), max_entries=2) is None
