"""Building the bubblewrap command line: the filesystem view, namespaces, identity, limits."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from convogen.errors import SandboxUnavailableError

# Where the work dir appears inside the sandbox; also the sandbox's HOME and cwd.
SANDBOX_WORK_DIR = "/workspace"
SANDBOX_UID = 65534
SANDBOX_GID = 65534

# System directories exposed read-only (or recreated as the symlinks they are on the host).
SYSTEM_DIRS: tuple[str, ...] = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")

# The only /etc entries the sandbox sees: enough for the dynamic loader, locale, TLS roots
# and name lookups. Everything else (shadow, ssh host keys, sudoers, ...) stays invisible.
ETC_ALLOWLIST: tuple[str, ...] = (
    "alternatives",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "nsswitch.conf",
    "hosts",
    "host.conf",
    "localtime",
    "timezone",
    "ca-certificates",
    "ssl/certs",
    "mime.types",
    "protocols",
    "services",
    "os-release",
    "debian_version",
    "inputrc",
    "magic",
    "fonts",
)

# Sets the resource limits inside the new user namespace, then execs the payload. Running it
# inside matters: RLIMIT_NPROC then counts only the sandbox's own processes, not every
# process the host user owns. It needs no parent-death signal of its own: it runs in the
# sandbox's PID namespace, whose every process the kernel kills when bwrap's init (pid 1,
# armed by --die-with-parent) dies.
LIMITER = (
    "import json,os,resource as r,sys;"
    "L=json.loads(sys.argv[1]);"
    "[r.setrlimit(getattr(r,'RLIMIT_'+k.upper()),(v,v)) for k,v in L.items()];"
    "os.execvp(sys.argv[2],sys.argv[2:])"
)


@dataclass
class BwrapPlan:
    """Everything needed to start one sandboxed command."""

    bwrap_path: str
    work_dir: Path
    private_dir: Path
    network: bool = False
    ro_mounts: Sequence[Path] = ()
    rw_mounts: Sequence[Path] = ()
    env: dict[str, str] = field(default_factory=dict)
    rlimits: dict[str, int] = field(default_factory=dict)
    # Host uid/gid to switch to before bwrap starts; None keeps the caller's identity.
    host_ids: tuple[int, int] | None = None
    # Where bwrap writes the sandbox init's host pid (see _reaper.py).
    info_fd: int | None = None
    # Where the launcher reports a kill of its own (see _launch.py).
    status_fd: int | None = None
    # Size of the sandbox's tmpfs /tmp.
    tmp_bytes: int = 64 * 1024 * 1024
    # cgroup.procs files of the run's cgroup (see _cgroup.py); empty without one.
    cgroup_procs: Sequence[str] = ()
    # Resident memory + /tmp total the launcher polls for when no memory cgroup enforces it.
    memory_watch_bytes: int | None = None
    # Most bytes the work dir may hold while the code runs (polled by the launcher).
    disk_quota_bytes: int | None = None


def python_dirs() -> list[Path]:
    """The directories the running interpreter needs: prefixes and the executable's home."""
    candidates = {
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        Path(sys.base_exec_prefix),
        Path(sys.executable).parent,
        Path(os.path.realpath(sys.executable)).parent.parent,
    }
    return minimal_roots(p.resolve() for p in candidates)


def minimal_roots(paths: Iterable[Path]) -> list[Path]:
    """Drop paths already covered by another path or by the system directories."""
    unique = sorted(set(paths), key=lambda p: (len(p.parts), str(p)))
    kept: list[Path] = []
    system = [Path(d) for d in SYSTEM_DIRS]
    for path in unique:
        if path == Path("/"):
            continue
        covered = kept + system
        if any(path == root or root in path.parents for root in covered):
            continue
        kept.append(path)
    return kept


def traversable(path: Path, ids: tuple[int, int]) -> bool:
    """Whether uid/gid ids may walk down to path (search permission on every ancestor)."""
    uid, gid = ids
    for ancestor in path.parents:
        try:
            info = os.stat(ancestor)
        except OSError:
            return False
        if info.st_uid == uid:
            allowed = info.st_mode & 0o100
        elif info.st_gid == gid:
            allowed = info.st_mode & 0o010
        else:
            allowed = info.st_mode & 0o001
        if not allowed:
            return False
    return True


def _system_args() -> list[str]:
    """Mount the system directories read-only, mirroring merged-/usr symlinks."""
    args: list[str] = []
    for name in SYSTEM_DIRS:
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    for entry in ETC_ALLOWLIST:
        host = os.path.join("/etc", entry)
        if os.path.lexists(host):
            args += ["--ro-bind", host, host]
    return args


def build_argv(plan: BwrapPlan, command: Sequence[str]) -> list[str]:
    """The full argv: [launcher...] bwrap OPTIONS -- python LIMITER limits command..."""
    staged: list[str] = []

    def source(path: Path) -> str:
        # With a uid switch, user paths may sit below directories the new uid cannot
        # traverse (/root/...): the launcher re-exposes them under the staging dir.
        if plan.host_ids is None or traversable(path, plan.host_ids):
            return str(path)
        staged.append(str(path))
        return str(plan.private_dir / "stage" / str(len(staged) - 1))

    args = [
        plan.bwrap_path,
        "--unshare-all",
        # Explicit: --unshare-all only *tries* a user namespace; without one there is no
        # unprivileged uid inside, so fail instead.
        "--unshare-user",
        "--die-with-parent",
        "--new-session",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_GID),
        "--hostname",
        "sandbox",
        "--cap-drop",
        "ALL",
    ]
    if plan.network:
        args.append("--share-net")
    if plan.info_fd is not None:
        args += ["--info-fd", str(plan.info_fd)]
    args += ["--size", str(plan.tmp_bytes), "--tmpfs", "/tmp", "--dir", "/etc"]
    args += _system_args()
    args += ["--ro-bind", str(plan.private_dir / "passwd"), "/etc/passwd"]
    args += ["--ro-bind", str(plan.private_dir / "group"), "/etc/group"]
    if plan.network and os.path.exists("/etc/resolv.conf"):
        args += ["--ro-bind", os.path.realpath("/etc/resolv.conf"), "/etc/resolv.conf"]
    for path in python_dirs():
        args += ["--ro-bind", source(path), str(path)]
    args += ["--bind", source(plan.work_dir.resolve()), SANDBOX_WORK_DIR]
    for path in plan.ro_mounts:
        args += ["--ro-bind", source(path), str(path)]
    for path in plan.rw_mounts:
        args += ["--bind", source(path), str(path)]
    args += ["--proc", "/proc", "--dev", "/dev", "--chdir", SANDBOX_WORK_DIR, "--clearenv"]
    for key, value in sorted(plan.env.items()):
        args += ["--setenv", key, value]
    args += ["--", sys.executable, "-I", "-S", "-c", LIMITER, json.dumps(plan.rlimits)]
    args += list(command)
    launcher = str(Path(__file__).with_name("_launch.py"))
    return [sys.executable, "-I", "-S", launcher, json.dumps(launch_spec(plan, staged)), *args]


def launch_spec(plan: BwrapPlan, staged: list[str]) -> dict[str, object]:
    """What the launcher (_launch.py) needs: identity, staging, cgroup, watched totals."""
    spec: dict[str, object] = {
        "parent": os.getpid(),
        "status_fd": plan.status_fd,
        "child_fds": [] if plan.info_fd is None else [plan.info_fd],
        "cgroup_procs": list(plan.cgroup_procs),
        "memory_bytes": plan.memory_watch_bytes,
        "disk": None,
    }
    if plan.disk_quota_bytes is not None:
        spec["disk"] = {"path": str(plan.work_dir), "bytes": plan.disk_quota_bytes}
    if plan.host_ids is not None:
        uid, gid = plan.host_ids
        spec.update(uid=uid, gid=gid, stage=staged, staging_dir=str(plan.private_dir / "stage"))
        spec["lend"] = {"path": str(plan.work_dir), "uid": uid, "gid": gid}
    return spec


def make_private_dir(reachable_by_others: bool) -> Path:
    """A fresh directory for the sandbox's own files (identity files, staging).

    When the sandbox runs as another uid (convogen runs as root), every ancestor of the
    directory must be searchable by others: a private ``TMPDIR`` (mode 0700, common on
    multi-user systems) is skipped for the first shared temp directory that is.
    """
    bases = [Path(tempfile.gettempdir())]
    if reachable_by_others:
        bases += [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
        bases = [b for b in bases if _searchable_by_others(b)]
        if not bases:
            tried = ", ".join(sorted({tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"}))
            raise SandboxUnavailableError(
                f"no temp directory the sandbox user can reach (tried {tried}); "
                "set TMPDIR to a directory whose parents are all world-searchable (o+x)"
            )
    return Path(tempfile.mkdtemp(prefix="convogen-sandbox-", dir=bases[0]))


def _searchable_by_others(path: Path) -> bool:
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        return False
    for part in (resolved, *resolved.parents):
        try:
            if not part.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def write_identity_files(private_dir: Path) -> None:
    """Write the sandbox's /etc/passwd and /etc/group (one unprivileged user)."""
    (private_dir / "stage").mkdir(exist_ok=True)
    (private_dir / "passwd").write_text(
        f"sandbox:x:{SANDBOX_UID}:{SANDBOX_GID}:sandbox:{SANDBOX_WORK_DIR}:/bin/sh\n"
    )
    (private_dir / "group").write_text(f"sandbox:x:{SANDBOX_GID}:\n")
    for path in (private_dir, private_dir / "passwd", private_dir / "group"):
        path.chmod(0o755 if path.is_dir() else 0o644)
