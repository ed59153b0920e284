"""The allow-list environment of host executors (local, Jupyter)."""

from __future__ import annotations

import pytest

from convogen.code.host_env import check_pass_env, code_env, is_allowed_env_name
from convogen.errors import ConfigError


@pytest.mark.parametrize("name", ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "VIRTUAL_ENV"])
def test_runtime_basics_are_allowed(name: str) -> None:
    assert is_allowed_env_name(name)


@pytest.mark.parametrize(
    "name", ["DATABASE_URL", "GITHUB_PAT", "HF_AUTH", "AWS_ACCESS_KEY_ID", "MY_TOKEN", "PGPASS"]
)
def test_anything_else_is_not(name: str) -> None:
    assert not is_allowed_env_name(name)


def test_code_env_keeps_the_allow_list_and_the_names_asked_for() -> None:
    host = {"PATH": "/bin", "LC_ALL": "C", "DATABASE_URL": "pg://x", "EXTRA": "1"}
    assert code_env(["EXTRA"], host) == {"PATH": "/bin", "LC_ALL": "C", "EXTRA": "1"}


def test_pass_env_must_be_a_list_of_names() -> None:
    with pytest.raises(ConfigError, match="pass_env"):
        check_pass_env("DATABASE_URL")
    with pytest.raises(ConfigError, match="variable names"):
        check_pass_env(["A=B"])
