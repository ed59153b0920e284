"""Making sure a bwrap run is completely gone before execute_code_blocks returns.

bwrap's outer (monitor) process can exit as soon as the sandbox's init reports the exit
status, while that init is still tearing the PID namespace down; on a timeout, killing the
monitor only reaches the init through a parent-death signal. So the init's host pid is read
from ``--info-fd``, killed directly on timeout, and waited for (until it is a zombie or gone:
by then the kernel has killed and reaped every process of the namespace).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import signal
import time

logger = logging.getLogger("convogen.code")

_INFO_TIMEOUT_S = 30.0
_SETTLE_TIMEOUT_S = 10.0


def _proc_state(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a host pid, or None when it does not exist."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


class BwrapSupervisor:
    """Tracks the sandbox init of one bwrap run; pass ``write_fd`` as bwrap's --info-fd.

    ``status_write_fd`` goes to the launcher, which names there a total it killed the run
    for; ``killed_for`` holds it after ``settle``.
    """

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        # The launcher reports a kill of its own (a total exceeded) through this pipe.
        self.status_read_fd, self.status_write_fd = os.pipe()
        self._child: tuple[int, str] | None = None
        self.killed_for: str | None = None

    def _alive(self) -> bool:
        if self._child is None:
            return False
        pid, start = self._child
        state = _proc_state(pid)
        return state is not None and state[1] == start and state[0] not in ("Z", "X")

    def started(self) -> None:
        """Read the init's pid from the info pipe (bwrap closes it right after writing)."""
        os.close(self.write_fd)
        os.close(self.status_write_fd)
        self.write_fd = self.status_write_fd = -1
        data = b""
        deadline = time.monotonic() + _INFO_TIMEOUT_S
        with selectors.DefaultSelector() as selector:
            selector.register(self.read_fd, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    continue
                chunk = os.read(self.read_fd, 4096)
                if not chunk:
                    break
                data += chunk
        if not data:
            return  # bwrap failed before starting the sandbox; its output says why
        pid = int(json.loads(data)["child-pid"])
        state = _proc_state(pid)
        if state is not None:
            self._child = (pid, state[1])

    def kill(self) -> None:
        """SIGKILL the sandbox init: the kernel then kills the whole PID namespace."""
        if self._alive() and self._child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child[0], signal.SIGKILL)

    def settle(self) -> None:
        """Wait until the sandbox init (and so every process inside) has exited."""
        try:
            deadline = time.monotonic() + _SETTLE_TIMEOUT_S
            delay = 0.001
            while self._alive():
                if time.monotonic() > deadline:
                    self.kill()
                    logger.warning("sandbox init %s outlived its run; killed", self._child)
                    break
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
            self.killed_for = self._read_status()
        finally:
            self.close()

    def _read_status(self) -> str | None:
        """The total the launcher killed the run for ('disk', 'memory'), if it did."""
        if self.status_read_fd < 0:
            return None
        os.set_blocking(self.status_read_fd, False)
        try:
            data = os.read(self.status_read_fd, 4096)
        except OSError:
            return None
        try:
            reason = json.loads(data).get("killed") if data else None
        except ValueError:
            return None
        return reason if isinstance(reason, str) else None

    def close(self) -> None:
        """Close whichever pipe ends are still open."""
        for fd in (self.read_fd, self.write_fd, self.status_read_fd, self.status_write_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.read_fd = self.write_fd = self.status_read_fd = self.status_write_fd = -1
