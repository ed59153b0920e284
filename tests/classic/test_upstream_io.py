"""Classic IO streams behave as AutoGen 0.2's upstream tests expect."""

from __future__ import annotations

import threading
from unittest.mock import MagicMock

import pytest

from convogen.io import IOConsole, IOStream


def test_the_default_stream_is_the_classic_console() -> None:
    assert isinstance(IOStream.get_default(), IOConsole)


def test_the_default_stream_is_the_same_object_on_every_call() -> None:
    assert IOStream.get_default() is IOStream.get_default()


def test_a_new_thread_sees_the_classic_console() -> None:
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(IOStream.get_default()))
    thread.start()
    thread.join()
    assert isinstance(seen[0], IOConsole)


def test_console_print_uses_the_builtin_print(monkeypatch: pytest.MonkeyPatch) -> None:
    printed = MagicMock()
    monkeypatch.setattr("builtins.print", printed)
    IOConsole().print("a", "b", sep="-", end="!", flush=True)
    printed.assert_called_once_with("a", "b", end="!", sep="-", flush=True)


def test_console_password_input_asks_password_when_no_prompt_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    getpass = MagicMock(return_value="s3cret")
    monkeypatch.setattr("getpass.getpass", getpass)
    assert IOConsole().input(password=True) == "s3cret"
    getpass.assert_called_once_with("Password: ")


def test_console_input_uses_the_builtin_input(monkeypatch: pytest.MonkeyPatch) -> None:
    read = MagicMock(return_value="yes")
    monkeypatch.setattr("builtins.input", read)
    assert IOConsole().input("Go?") == "yes"
    read.assert_called_once_with("Go?")
