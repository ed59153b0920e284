"""Classic ``autogen.io``: console input via ``input``/``getpass``, defaults, websockets."""

from __future__ import annotations

from typing import Any

import pytest

from convogen.agentchat import ConversableAgent
from convogen.agents import ScriptedIO
from convogen.io import IOConsole, IOStream, IOWebsockets


def test_console_input_calls_the_builtin_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt="": f"typed after {prompt!r}")
    assert IOConsole().input("> ") == "typed after '> '"


def test_console_password_input_uses_getpass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "secret")
    assert IOConsole().input("key: ", password=True) == "secret"


def test_set_default_applies_inside_the_block_only() -> None:
    stream = ScriptedIO(["from the stream"])
    before = IOStream.get_default()
    with IOStream.set_default(stream):
        assert IOStream.get_default() is stream
        agent = ConversableAgent("a", llm_config=False)
        assert agent.get_human_input("?") == "from the stream"
    assert IOStream.get_default() is before


def test_global_default_can_be_replaced_and_restored() -> None:
    original = IOStream.get_global_default()
    stream = ScriptedIO()
    try:
        IOStream.set_global_default(stream)
        assert IOStream.get_default() is stream
    finally:
        IOStream.set_global_default(original)


class FakeSocket:
    def __init__(self, incoming: list[Any]) -> None:
        self.sent: list[str] = []
        self.incoming = incoming

    def send(self, text: str) -> None:
        self.sent.append(text)

    def recv(self) -> Any:
        return self.incoming.pop(0)


def test_websocket_stream_sends_output_and_prompts_and_reads_answers() -> None:
    socket = FakeSocket([b"yes"])
    stream = IOWebsockets(socket)
    stream.print("a", "b", sep="-")
    assert stream.input("continue? ") == "yes"
    assert socket.sent == ["a-b\n", "continue? "]
    assert stream.websocket is socket


def test_custom_streams_get_plain_text_not_markup() -> None:
    socket = FakeSocket([])
    sender = ConversableAgent("sender", llm_config=False, silent=True)
    receiver = ConversableAgent("receiver", llm_config=False)
    with IOStream.set_default(IOWebsockets(socket)):
        sender.send("[x] hello", receiver, request_reply=False)
    text = "".join(socket.sent)
    assert "sender (to receiver):" in text and "[x] hello" in text
    assert "[bold" not in text
