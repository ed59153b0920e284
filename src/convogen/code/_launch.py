"""Supervisor run between convogen and bwrap: totals, a whole-tree kill, death with its parent.

Run as a script (``python -I -S _launch.py SPEC_JSON bwrap ...``), so it imports only the
standard library (and ``_watch.py`` next to it). It forks bwrap and stays as its parent:

- It dies with convogen: PR_SET_PDEATHSIG delivers SIGTERM when convogen dies, and the
  handler kills every process of the run before exiting. The parent-death signal is only
  armed after exec, so right after arming it the supervisor checks that its parent is still
  the convogen process that started it (else that parent died in between) and exits if not.
  The forked bwrap gets a SIGKILL parent-death signal, armed the same way after the uid
  switch (a credential change clears it), and bwrap's own --die-with-parent arms the sandbox.
  As a child subreaper the supervisor also adopts anything orphaned below it.
- The forked child joins the run's cgroup (memory and process totals, see _cgroup.py)
  before it execs bwrap, so every process of the sandbox is accounted for.
- It polls the totals the kernel cannot enforce: the work dir's disk usage against its
  quota, and, without a memory cgroup, the resident memory of the whole tree plus its /tmp.
  On an overrun it kills the whole tree and reports why through the status pipe.
- When the host process is root the payload must not get a root identity on the host
  (RLIMIT_NPROC is not enforced for uid 0, and root-owned files would look owned by the
  sandbox user), so the child drops to an unprivileged uid. That uid may be unable to
  traverse directories such as /root (where a pyenv Python may live), so the child first
  bind-mounts every such source into a private staging tmpfs, in a mount namespace of its
  own. The work dir is lent to that uid for the run (chowned) and given back afterwards.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sys
import time

# Not typing.TYPE_CHECKING: importing typing would slow down every sandbox start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

    from convogen.code import _watch
else:
    # Run as a script with -I: the package is not importable, its sibling file is.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _watch

CLONE_NEWNS = 0x00020000
MS_NOSUID = 2
MS_NODEV = 4
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
POLL_S = 0.05
LAUNCH_FAILED = 126

_libc = ctypes.CDLL(None, use_errno=True)


def _fail(message: str) -> None:
    """Report a launcher failure the way bwrap reports its own, then exit."""
    sys.stderr.write(f"bwrap-launcher: {message}\n")
    sys.stderr.flush()
    os._exit(LAUNCH_FAILED)


def _die_with(parent: int, signum: int) -> None:
    """Arm the parent-death signal, then make sure the parent did not die before that."""
    if _libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        _fail(f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
    if os.getppid() != parent:
        os._exit(LAUNCH_FAILED)  # the parent is already gone: start nothing


def _mount(src: str | None, dst: str, fstype: str | None, flags: int) -> None:
    """Call mount(2) and fail loudly."""
    data = b"mode=0755,size=64k" if fstype == "tmpfs" else None
    rc = _libc.mount(
        src.encode() if src else None,
        dst.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data,
    )
    if rc != 0:
        _fail(f"mount {src} -> {dst} failed: {os.strerror(ctypes.get_errno())}")


def _stage(staging_dir: str, sources: list[str]) -> None:
    """Bind each source to staging_dir/<index> inside a private mount namespace."""
    if _libc.unshare(CLONE_NEWNS) != 0:
        _fail(f"unshare(CLONE_NEWNS) failed: {os.strerror(ctypes.get_errno())}")
    # Private propagation: nothing mounted below ever shows up in the host namespace.
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", staging_dir, "tmpfs", MS_NOSUID | MS_NODEV)
    for index, source in enumerate(sources):
        target = os.path.join(staging_dir, str(index))
        if os.path.isdir(source):
            os.mkdir(target)
        else:
            with open(target, "w"):
                pass
        _mount(source, target, None, MS_BIND | MS_REC)


def _child(spec: dict[str, Any], argv: list[str], supervisor: int) -> None:
    """In the forked child: join the cgroup, stage, drop root, arm death, exec bwrap."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if spec.get("status_fd") is not None:
        os.close(spec["status_fd"])
    try:
        for procs in spec.get("cgroup_procs", []):
            with open(procs, "w") as handle:
                handle.write(str(os.getpid()))
    except OSError as exc:
        _fail(f"cannot join the run's cgroup: {exc}")
    if spec.get("stage"):
        _stage(spec["staging_dir"], spec["stage"])
    uid = spec.get("uid")
    if uid is not None:
        os.setgroups([])
        os.setgid(spec["gid"])
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid:
            _fail(f"could not drop to uid {uid}")
    _die_with(supervisor, signal.SIGKILL)  # after setuid, which clears the death signal
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        _fail(f"cannot execute {argv[0]!r}: {exc}")


class Supervisor:
    """The supervising side: watch the run, kill it whole, clean up after it."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.child = 0
        self.lent: tuple[str, int, int] | None = None
        self.orphaned = False
        # Read end of the signal wakeup pipe: a signal makes the watch loop look at once.
        self.wake_fd = -1

    def lend_work_dir(self) -> None:
        """Chown the work dir to the sandbox uid for this run (given back by give_back)."""
        lend = self.spec.get("lend")
        if lend is None:
            return
        info = os.stat(lend["path"], follow_symlinks=False)
        self.lent = (lend["path"], info.st_uid, info.st_gid)
        os.chown(lend["path"], lend["uid"], lend["gid"], follow_symlinks=False)

    def give_back(self) -> None:
        """Restore the work dir's owner."""
        if self.lent is not None:
            path, uid, gid = self.lent
            with _watch.Quiet():
                os.chown(path, uid, gid, follow_symlinks=False)

    def kill_all(self, scan: bool = True) -> None:
        """SIGKILL every process of the run: cgroup members, and (scan) every descendant."""
        for procs in self.spec.get("cgroup_procs", []):
            with _watch.Quiet(OSError, ValueError), open(procs) as handle:
                for member in handle.read().split():
                    with _watch.Quiet():
                        os.kill(int(member), signal.SIGKILL)
        if scan or not self.spec.get("cgroup_procs"):
            # A scan of /proc is the costly part: skipped where the cgroup holds everything.
            for pid in _watch.descendants(os.getpid()):
                with _watch.Quiet():
                    os.kill(pid, signal.SIGKILL)

    def reap_all(self) -> int:
        """Kill and reap every child (adopted orphans included); the bwrap child's status."""
        status = 0
        while True:
            try:
                pid, code = os.waitpid(-1, os.WNOHANG)
                if pid == 0:  # e.g. the sandbox's init, adopted while tearing down
                    self.kill_all(scan=False)
                    pid, code = os.waitpid(-1, 0)
            except ChildProcessError:
                return status
            if pid == self.child:
                status = code

    def on_parent_death(self, signum: int, frame: FrameType | None) -> None:
        """The parent-death signal: only noted here, acted on by the main loop."""
        self.orphaned = True

    def abandon(self) -> None:
        """convogen died: nothing of the run may survive it."""
        self.kill_all()
        self.reap_all()
        self.give_back()
        for procs in self.spec.get("cgroup_procs", []):
            with _watch.Quiet():
                os.rmdir(os.path.dirname(procs))
        os._exit(137)

    def parent_gone(self) -> bool:
        """Whether convogen died (signalled, or seen: the signal is the fast path only)."""
        return self.orphaned or os.getppid() != self.spec["parent"]

    def over_limit(self) -> str | None:
        """Which total the run exceeds now ('disk' or 'memory'), if any."""
        disk = self.spec.get("disk")
        if disk is not None:
            used = _watch.disk_usage_bytes(disk["path"])
            if used is None or used > disk["bytes"]:
                return "disk"
        memory = self.spec.get("memory_bytes")
        if memory is not None:
            tree = _watch.descendants(os.getpid())
            if _watch.tree_memory_bytes(tree) > memory:
                return "memory"
        return None

    def report(self, reason: str) -> None:
        """Tell convogen which total the run was stopped for."""
        if self.spec.get("status_fd") is not None:
            os.write(self.spec["status_fd"], json.dumps({"killed": reason}).encode())

    def watch(self) -> int:
        """Poll the totals until the bwrap child exits; return its wait status."""
        pidfd = os.pidfd_open(self.child)
        interval = POLL_S
        while True:
            ready = select.select([pidfd, self.wake_fd], [], [], interval)[0]
            if self.parent_gone():
                self.abandon()
            if pidfd in ready:
                break
            if self.wake_fd in ready:
                with _watch.Quiet():
                    os.read(self.wake_fd, 512)
                continue
            checked = time.monotonic()
            reason = self.over_limit()
            # A huge work dir takes long to scan: never spend more than a third of the time.
            interval = max(POLL_S, 2 * (time.monotonic() - checked))
            if reason is not None:
                self.kill_all()
                self.report(reason)
                break
        os.close(pidfd)
        _, status = os.waitpid(self.child, 0)
        return status


def main() -> None:
    """Apply the JSON spec in argv[1], then run and supervise argv[2:]."""
    spec = json.loads(sys.argv[1])
    supervisor = Supervisor(spec)
    # The handler only wakes the watch loop (through the wakeup pipe, which select sees).
    supervisor.wake_fd, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGTERM, supervisor.on_parent_death)
    _die_with(spec["parent"], signal.SIGTERM)
    if _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        _fail(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")
    if supervisor.over_limit() == "disk":
        supervisor.report("disk")  # already over quota: nothing runs
        os._exit(137)
    supervisor.lend_work_dir()
    me = os.getpid()
    supervisor.child = os.fork()
    if supervisor.child == 0:
        _child(spec, sys.argv[2:], me)
    for fd in spec.get("child_fds", []):
        os.close(fd)  # bwrap's --info-fd: the reader waits for its end of file
    status = supervisor.watch()
    supervisor.reap_all()  # kills and reaps stragglers adopted from the sandbox, if any
    supervisor.give_back()
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
