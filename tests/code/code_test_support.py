"""Helpers of the code-execution tests: PNG snippets, process scans, sandbox availability."""

from __future__ import annotations

import functools
import os
import struct
import tempfile
import time
import zlib
from pathlib import Path

from convogen.code.sandbox import SandboxCodeExecutor
from convogen.errors import SandboxUnavailableError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Python that writes a real 4x3 red PNG with only the standard library (no matplotlib here).
PNG_SNIPPET = """\
import struct, zlib

def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

width, height = 4, 3
raw = b"".join(b"\\x00" + b"\\xff\\x00\\x00" * width for _ in range(height))
png = (
    b"\\x89PNG\\r\\n\\x1a\\n"
    + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(raw))
    + chunk(b"IEND", b"")
)
with open("{name}", "wb") as handle:
    handle.write(png)
print("saved {name}")
"""


def png_dimensions(data: bytes) -> tuple[int, int]:
    """Validate a PNG's signature, IHDR and chunk CRCs; return (width, height)."""
    assert data.startswith(PNG_SIGNATURE), "not a PNG signature"
    pos = len(PNG_SIGNATURE)
    size: tuple[int, int] | None = None
    kinds: list[bytes] = []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
            size = (width, height)
        kinds.append(kind)
        pos += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert size is not None
    return size


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _status(pid: str) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def leftover_processes(marker: str, grace: float = 0.0) -> list[str]:
    """Live (non-zombie) processes whose command line contains marker, after up to grace s.

    A SIGKILLed process needs a moment to die; the sandbox waits for that itself (so its
    tests use no grace), a plain process-group kill does not.
    """
    deadline = time.monotonic() + grace
    while True:
        found = _marked_processes(marker)
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.02)


def _marked_processes(marker: str) -> list[str]:
    found: list[str] = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        cmdline = _cmdline(pid)
        if marker in cmdline and not _status(pid).get("State", "").startswith("Z"):
            found.append(f"{pid}: {cmdline}")
    return found


def sandbox_processes(executor: SandboxCodeExecutor) -> list[str]:
    """Live processes started by this executor's sandboxes.

    Other sandboxes may run on the same machine at the same time, so a process counts only
    when it, or one of its ancestors, is a bwrap whose command line names this executor's
    private directory (every process inside a sandbox descends from that bwrap).
    """
    tag = str(executor._private_dir)  # internal, but the one unambiguous tag of a run
    found: list[str] = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or _status(pid).get("State", "Z").startswith("Z"):
            continue
        current, depth = pid, 0
        while current not in ("", "0") and depth < 64:
            if tag in _cmdline(current):
                found.append(f"{pid}: {_cmdline(pid)}")
                break
            current, depth = _status(current).get("PPid", ""), depth + 1
    return found


@functools.cache
def sandbox_problem() -> str | None:
    """Why the bubblewrap sandbox cannot run here, or None when it can."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            SandboxCodeExecutor(work_dir=Path(tmp) / "probe").close()
        except SandboxUnavailableError as exc:
            return str(exc)
    return None


def host_figures(path: Path) -> dict[str, int]:
    """The host's available memory and the free disk below path, in MiB."""
    with open("/proc/meminfo", encoding="ascii") as handle:
        meminfo = dict(line.split(":", 1) for line in handle if ":" in line)
    available_kib = int(meminfo["MemAvailable"].split()[0])
    disk = os.statvfs(path)
    return {
        "mem_available_mib": available_kib // 1024,
        "disk_free_mib": disk.f_bavail * disk.f_frsize // (1024 * 1024),
    }
