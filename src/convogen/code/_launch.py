"""Launcher run between a root host process and bwrap: stages mounts, drops root, execs.

Run as a script (``python -I -S _launch.py SPEC_JSON bwrap ...``), so it imports only the
standard library. When the host process is root it must not hand sandboxed code a root
identity on the host: RLIMIT_NPROC is not enforced for host uid 0 (fork bombs would be
unbounded) and root-owned files would look owned by the sandbox user. So the launcher
switches to an unprivileged host uid first. That uid may be unable to traverse directories
such as /root (where a pyenv Python may live), so the launcher first bind-mounts every such
source into a private staging tmpfs, in a mount namespace of its own that the host never sees.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys

CLONE_NEWNS = 0x00020000
MS_NOSUID = 2
MS_NODEV = 4
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18


def _fail(message: str) -> None:
    """Report a launcher failure the way bwrap reports its own, then exit."""
    sys.stderr.write(f"bwrap-launcher: {message}\n")
    sys.stderr.flush()
    os._exit(126)


def _mount(libc: ctypes.CDLL, src: str | None, dst: str, fstype: str | None, flags: int) -> None:
    """Call mount(2) and fail loudly."""
    data = b"mode=0755,size=64k" if fstype == "tmpfs" else None
    rc = libc.mount(
        src.encode() if src else None,
        dst.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data,
    )
    if rc != 0:
        err = ctypes.get_errno()
        _fail(f"mount {src} -> {dst} failed: {os.strerror(err)}")


def _stage(staging_dir: str, sources: list[str]) -> None:
    """Bind each source to staging_dir/<index> inside a private mount namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        _fail(f"unshare(CLONE_NEWNS) failed: {os.strerror(ctypes.get_errno())}")
    # Private propagation: nothing mounted below ever shows up in the host namespace.
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    _mount(libc, "tmpfs", staging_dir, "tmpfs", MS_NOSUID | MS_NODEV)
    for index, source in enumerate(sources):
        target = os.path.join(staging_dir, str(index))
        if os.path.isdir(source):
            os.mkdir(target)
        else:
            with open(target, "w"):
                pass
        _mount(libc, source, target, None, MS_BIND | MS_REC)


def main() -> None:
    """Apply the JSON spec in argv[1], then exec argv[2:]."""
    spec = json.loads(sys.argv[1])
    argv = sys.argv[2:]
    if spec.get("stage"):
        _stage(spec["staging_dir"], spec["stage"])
    uid = spec.get("uid")
    if uid is not None:
        gid = spec["gid"]
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid:
            _fail(f"could not drop to uid {uid}")
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        _fail(f"cannot execute {argv[0]!r}: {exc}")


if __name__ == "__main__":
    main()
