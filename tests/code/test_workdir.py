"""The work-dir policy: system and secret locations are refused, ``~`` is expanded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import convogen
from convogen.code.workdir import check_work_dir
from convogen.errors import ConfigError


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/", "root of the filesystem"),
        ("/etc", "'/etc'"),
        ("/etc/cron.d", "'/etc'"),
        ("/usr/local/bin", "'/usr'"),
        ("/bin", "system directory"),
        ("/sbin", "system directory"),
        ("/lib", "system directory"),
        ("/lib64/x", "system directory"),
        ("/boot", "'/boot'"),
        ("/dev/shm/x", "'/dev'"),
        ("/proc/self", "'/proc'"),
        ("/sys/kernel", "'/sys'"),
        ("/var/spool/cron", "/var"),
        ("/var", "/var"),
        ("/root/.ssh", "'/root/.ssh'"),
    ],
)
def test_system_directories_are_refused(path: str, reason: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_work_dir(path)
    assert info.value.field == "work_dir"
    assert reason in str(info.value) and "refused as a work dir" in str(info.value)


def test_var_tmp_is_allowed() -> None:
    assert check_work_dir("/var/tmp/convogen-work") == Path("/var/tmp/convogen-work").resolve()


def test_hidden_directories_of_the_home_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in (".ssh", ".config/systemd/user", ".local/bin", ".bashrc.d"):
        with pytest.raises(ConfigError, match="hidden directory"):
            check_work_dir(f"~/{name}")


def test_the_home_itself_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="home directory itself"):
        check_work_dir("~")


def test_tilde_is_expanded_not_taken_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert check_work_dir("~/coding") == tmp_path.resolve() / "coding"


def test_relative_paths_resolve_against_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert check_work_dir("coding") == tmp_path.resolve() / "coding"


def test_a_symlink_into_a_system_directory_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "innocent"
    link.symlink_to("/etc")
    with pytest.raises(ConfigError, match="'/etc'"):
        check_work_dir(link)


def test_convogens_own_package_is_refused() -> None:
    package = Path(convogen.__file__).resolve().parent
    with pytest.raises(ConfigError, match="convogen's package"):
        check_work_dir(package / "code")


def test_the_running_python_is_refused() -> None:
    with pytest.raises(ConfigError, match="the running Python"):
        check_work_dir(Path(sys.prefix) / "lib")


@pytest.mark.parametrize("bad", ["", "   ", 3, None])
def test_a_path_that_is_not_one_is_refused(bad: object) -> None:
    with pytest.raises(ConfigError, match="non-empty path"):
        check_work_dir(bad)  # type: ignore[arg-type]
