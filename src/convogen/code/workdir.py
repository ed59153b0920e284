"""Which directories an executor may use as its work dir: never a system or secret location.

Executors write model-generated files into their work dir and (the sandbox) mount it
read-write, so a work dir such as /etc, /usr/local/bin, /var/spool/cron or ~/.ssh would let
generated code plant files the host later trusts. ``check_work_dir`` expands ``~``, resolves
the path and refuses those places with a ConfigError naming the path and the reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

from convogen.errors import ConfigError

# Refused along with everything below them.
_SYSTEM_TREES = ("/etc", "/usr", "/bin", "/sbin", "/boot", "/dev", "/proc", "/sys", "/root/.ssh")
# /var holds spools, crontabs and service state; only its scratch area is fine.
_VAR = Path("/var")
_VAR_ALLOWED = Path("/var/tmp")


def _refusal(path: Path) -> str | None:
    """Why path may not be a work dir, or None when it may."""
    if path == Path("/"):
        return "the root of the filesystem cannot be a work dir"
    for tree in map(Path, _SYSTEM_TREES):
        if path == tree or tree in path.parents:
            return f"it is inside the system directory {str(tree)!r}"
    top = path.parts[1] if len(path.parts) > 1 else ""
    if top.startswith("lib"):
        return f"it is inside the system directory {'/' + top!r}"
    if (path == _VAR or _VAR in path.parents) and not (
        path == _VAR_ALLOWED or _VAR_ALLOWED in path.parents
    ):
        return "it is inside /var (service state, spools, crontabs); /var/tmp is allowed"
    return _private_refusal(path)


def _private_refusal(path: Path) -> str | None:
    """Refusals that depend on this user and this interpreter."""
    home = Path.home().expanduser().resolve()
    if path == home:
        return "it is the home directory itself (shell profiles, keys); use a subdirectory"
    if path.parent == home and path.name.startswith("."):
        return f"it is the hidden directory {path.name!r} of the home (configuration, keys)"
    if home in path.parents:
        below = path.relative_to(home).parts[0]
        if below.startswith("."):
            return f"it is inside the hidden directory {below!r} of the home (configuration, keys)"
    package = Path(__file__).resolve().parent.parent
    for name, protected in (("convogen's package", package), ("the running Python", _prefix())):
        if path == protected or protected in path.parents:
            return f"it is inside {name} directory {str(protected)!r}"
    return None


def _prefix() -> Path:
    return Path(sys.prefix).resolve()


def check_work_dir(path: str | Path) -> Path:
    """The absolute, resolved work dir (``~`` expanded); ConfigError for a dangerous one."""
    if not isinstance(path, str | Path) or not str(path).strip():
        raise ConfigError("work_dir", path, "must be a non-empty path")
    resolved = Path(path).expanduser().resolve()
    problem = _refusal(resolved)
    if problem is not None:
        raise ConfigError("work_dir", str(resolved), f"refused as a work dir: {problem}")
    return resolved
