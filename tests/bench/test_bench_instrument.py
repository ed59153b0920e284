"""The benchmark instrument: the stub server's HTTP handling and the report's arithmetic."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from _report import (  # noqa: E402 - the bench folder is not a package
    Figure,
    Target,
    change,
    load_previous,
    markdown,
    save_run,
)
from stub_server import CHAT_REPLY, MODELS_REPLY, StubProtocol  # noqa: E402


class FakeTransport:
    """Collects what the protocol writes."""

    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True


def connect() -> tuple[StubProtocol, FakeTransport]:
    protocol, transport = StubProtocol(), FakeTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]  # a duck-typed transport
    return protocol, transport


def post(body: bytes, extra: str = "") -> bytes:
    head = f"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return head.encode() + body


def reply_json(raw: bytes) -> Any:
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


def test_stub_answers_a_chat_completion_with_usage() -> None:
    protocol, transport = connect()
    protocol.data_received(post(b'{"model":"bench","messages":[]}'))
    assert transport.written == CHAT_REPLY
    body = reply_json(transport.written)
    assert body["choices"][0]["message"]["content"] == "ok"
    assert body["usage"]["total_tokens"] == 6


def test_stub_waits_for_a_body_split_over_packets() -> None:
    protocol, transport = connect()
    request = post(b'{"model":"bench","messages":[]}')
    protocol.data_received(request[:-5])
    assert transport.written == b""
    protocol.data_received(request[-5:])
    assert transport.written == CHAT_REPLY


def test_stub_answers_pipelined_requests_in_order() -> None:
    protocol, transport = connect()
    models = b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"
    protocol.data_received(post(b"{}") + models + post(b"[]"))
    assert transport.written == CHAT_REPLY + MODELS_REPLY + CHAT_REPLY
    assert not transport.closed


def test_stub_rejects_chunked_bodies_and_closes() -> None:
    protocol, transport = connect()
    protocol.data_received(post(b"", "Transfer-Encoding: chunked\r\n"))
    assert transport.written.startswith(b"HTTP/1.1 400")
    assert "chunked" in reply_json(transport.written)["error"]["message"]
    assert transport.closed


def test_stub_says_404_for_an_unknown_path() -> None:
    protocol, transport = connect()
    protocol.data_received(b"GET /v1/other HTTP/1.1\r\n\r\n")
    assert transport.written.startswith(b"HTTP/1.1 404")


def test_target_checks_each_direction() -> None:
    assert Target(">=", 2500).met(2500) and not Target(">=", 2500).met(2499)
    assert Target("<=", 0.35).met(0.35) and not Target("<=", 0.35).met(0.36)
    assert not Target("<", 1024).met(1024)
    with pytest.raises(ValueError, match="target op"):
        Target("=", 1)


def test_figure_met_uses_the_median_not_the_best_run() -> None:
    figure = Figure("turn", "ms", [0.1, 0.5, 0.6], Target("<=", 0.35))
    assert figure.median == 0.5
    assert figure.met is False


def test_change_is_relative_to_the_previous_median() -> None:
    assert change(110, 100) == "+10.0%"
    assert change(90, 100) == "-10.0%"
    assert change(1, None) == ""


def test_saved_run_is_read_back_as_previous_medians(tmp_path: Path) -> None:
    path = tmp_path / "results" / "latest.json"
    save_run(path, [Figure("import", "ms", [3.0, 1.0, 2.0])], tmp_path, {"quick": True})
    medians, about = load_previous(path)
    assert medians == {"import": 2.0}
    assert "previous run" in about
    saved = json.loads(path.read_text())
    assert saved["cpus"] and saved["date"] and saved["settings"] == {"quick": True}


def test_unreadable_previous_run_is_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "latest.json"
    path.write_text("{not json")
    medians, about = load_previous(path)
    assert medians == {}
    assert "unreadable" in about


def test_markdown_table_has_target_verdict_and_change() -> None:
    figure = Figure("framework time", "ms", [0.3], Target("<=", 0.35))
    table = markdown([figure], {"framework time": 0.4})
    row = table.splitlines()[2]
    assert row.startswith("| framework time | 0.3 |")
    assert "<= 0.35 | yes | 0.4 | -25.0%" in row
