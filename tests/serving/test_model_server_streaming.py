"""serve-model's server-sent events, and clients that hang up mid-stream."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from convogen.serving import ModelServer

HELLO = [{"role": "user", "content": "one two three"}]


def stream_events(server: ModelServer, body: dict[str, Any]) -> list[Any]:
    reply = httpx.post(f"{server.url}/chat/completions", json={**body, "stream": True}, timeout=30)
    assert reply.headers["content-type"].startswith("text/event-stream")
    datas = [line[6:] for line in reply.text.splitlines() if line.startswith("data: ")]
    assert datas[-1] == "[DONE]"
    return [json.loads(data) for data in datas[:-1]]


def test_stream_sends_role_then_text_then_finish(server: ModelServer) -> None:
    events = stream_events(server, {"messages": HELLO})
    deltas = [e["choices"][0]["delta"] for e in events]
    assert deltas[0] == {"role": "assistant", "content": ""}
    assert "".join(d.get("content", "") for d in deltas) == "one two three "
    assert events[-1]["choices"][0]["finish_reason"] == "stop"


def test_stream_ends_with_usage_when_asked(server: ModelServer) -> None:
    body = {"messages": HELLO, "stream_options": {"include_usage": True}}
    events = stream_events(server, body)
    assert events[-1]["choices"] == []
    assert events[-1]["usage"]["total_tokens"] == 5


def test_shaped_reply_is_sent_whole_with_indexed_tool_calls(server: ModelServer, fake: Any) -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "add", "arguments": "{}"}}
    fake.reply = {"role": "assistant", "content": None, "tool_calls": [call]}
    events = stream_events(server, {"messages": HELLO})
    assert events[1]["choices"][0]["delta"]["tool_calls"] == [{**call, "index": 0}]
    assert events[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_client_hanging_up_stops_generation_quietly(
    server: ModelServer, fake: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    fake.endless = True
    with httpx.Client(timeout=30) as client:
        body = {"messages": HELLO, "stream": True}
        with client.stream("POST", f"{server.url}/chat/completions", json=body) as reply:
            lines = reply.iter_lines()
            assert next(line for line in lines if "one" in line)
        # leaving the block closes the connection mid-stream
    assert fake.stopped.wait(10), "generation went on after the client hung up"
    fake.endless = False
    after = httpx.post(f"{server.url}/chat/completions", json={"messages": HELLO}, timeout=30)
    assert after.status_code == 200
    assert "Traceback" not in capfd.readouterr().err


def test_error_after_streaming_started_is_an_error_event(server: ModelServer, fake: Any) -> None:
    fake.fail_midway = RuntimeError("model crashed")
    events = stream_events(server, {"messages": HELLO})
    assert events[1]["choices"][0]["delta"] == {"content": "one "}
    assert events[-1]["error"]["type"] == "server_error"
    assert "model crashed" in events[-1]["error"]["message"]
