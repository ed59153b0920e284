"""Argument checks shared by the executors; each failure names the field and its value."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from convogen.errors import ConfigError

_SECRET_MARKERS = ("KEY", "TOKEN", "SECRET", "PASSWORD")


def is_secret_name(name: str) -> bool:
    """Whether an environment variable name looks like it holds a credential."""
    upper = name.upper()
    return any(marker in upper for marker in _SECRET_MARKERS)


def without_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """A copy of env minus the variables named like credentials (OPENAI_API_KEY, ...)."""
    return {key: value for key, value in env.items() if not is_secret_name(key)}


def check_timeout(value: object, field: str = "timeout") -> float:
    """A finite, positive number of seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(field, value, "must be a number of seconds")
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(field, value, "must be a positive, finite number of seconds")
    return float(value)


def check_positive_int(field: str, value: object) -> int:
    """A strictly positive int (bools rejected)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(field, value, "must be a positive integer")
    return value


def check_mounts(field: str, value: object) -> list[Path]:
    """Absolute, existing host paths to mount into the sandbox at the same place."""
    if isinstance(value, str | Path) or not isinstance(value, Sequence):
        raise ConfigError(field, value, "must be a list of absolute paths")
    paths: list[Path] = []
    for item in value:
        if not isinstance(item, str | Path):
            raise ConfigError(field, item, "entries must be paths")
        path = Path(item)
        if not path.is_absolute():
            raise ConfigError(field, item, "mount paths must be absolute")
        if not path.exists():
            raise ConfigError(field, item, "mount path does not exist")
        resolved = path.resolve()
        if resolved == Path("/"):
            raise ConfigError(field, item, "mounting the whole host filesystem defeats the sandbox")
        paths.append(resolved)
    return paths


def check_env(
    field: str, value: Mapping[str, str], is_secret: Callable[[str], bool]
) -> dict[str, str]:
    """Extra environment variables; names that look like credentials are refused."""
    if not isinstance(value, Mapping):
        raise ConfigError(field, value, "must be a mapping of str to str")
    env: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ConfigError(field, {key: item}, "keys and values must be strings")
        if is_secret(key):
            raise ConfigError(
                field, key, "variables named like credentials are never passed to sandboxed code"
            )
        env[key] = item
    return env


def check_sandbox_work_dir(work_dir: Path, protected: Sequence[Path]) -> Path:
    """Refuse a work dir that would expose a protected directory read-write."""
    if work_dir == Path("/"):
        raise ConfigError("work_dir", str(work_dir), "the whole filesystem cannot be a work dir")
    for path in protected:
        if path == work_dir or work_dir in path.parents:
            raise ConfigError(
                "work_dir",
                str(work_dir),
                f"contains {str(path)!r}, which sandboxed code must not be able to modify",
            )
    return work_dir
