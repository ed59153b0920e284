"""The environment host executors (local, Jupyter) hand to code: an allow-list, not the host's.

Filtering the host environment by name (dropping *_KEY, *_TOKEN, ...) misses credentials with
other names (DATABASE_URL, GITHUB_PAT, HF_AUTH, ...). So code gets only the variables a
program needs to run; anything more is asked for by name with ``pass_env``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from convogen.errors import ConfigError

# Variables that locate programs, describe the user, the locale, the terminal and temp space.
ALLOWED_ENV_NAMES: frozenset[str] = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TERM",
        "COLUMNS",
        "LINES",
        "NO_COLOR",
        "TZ",
        "TMPDIR",
        "TEMP",
        "TMP",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONIOENCODING",
        "PYTHONUTF8",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONHASHSEED",
        "PYTHONWARNINGS",
        "MPLBACKEND",
        "SYSTEMROOT",
        "COMSPEC",
        "PATHEXT",
        "WINDIR",
    }
)
ALLOWED_ENV_PREFIXES: tuple[str, ...] = ("LC_",)


def is_allowed_env_name(name: str) -> bool:
    """Whether code gets this host variable without being asked for it."""
    return name in ALLOWED_ENV_NAMES or name.startswith(ALLOWED_ENV_PREFIXES)


def check_pass_env(value: object) -> tuple[str, ...]:
    """The extra variable names a caller wants passed to code (a list of names)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ConfigError("pass_env", value, "must be a list of environment variable names")
    names = tuple(value)
    for name in names:
        if not isinstance(name, str) or not name or "=" in name:
            raise ConfigError("pass_env", name, "entries must be variable names")
    return names


def code_env(
    pass_env: Iterable[str] = (), source: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The allow-listed subset of source (the host env), plus the names in pass_env."""
    host = os.environ if source is None else source
    extra = set(pass_env)
    return {k: v for k, v in host.items() if is_allowed_env_name(k) or k in extra}
