"""serve-model's HTTP surface over a fake model: bodies, status codes and OpenAI error shapes."""

from __future__ import annotations

import importlib.util
import socket
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI

from convogen.errors import ConfigError
from convogen.llm.errors import ContextWindowExceededError
from convogen.serving import ModelServer
from convogen.serving.deps import require_server_stack

HELLO = [{"role": "user", "content": "hello there"}]


def post(server: ModelServer, body: dict[str, Any], path: str = "/chat/completions") -> Any:
    return httpx.post(f"{server.url}{path}", json=body, timeout=30)


def error_of(reply: httpx.Response) -> dict[str, Any]:
    body = reply.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    error: dict[str, Any] = body["error"]
    return error


def test_models_lists_the_served_model(server: ModelServer) -> None:
    reply = httpx.get(f"{server.url}/models", timeout=30)
    assert [m["id"] for m in reply.json()["data"]] == ["fake"]


def test_chat_completion_returns_the_models_reply(server: ModelServer) -> None:
    body = post(server, {"model": "fake", "messages": HELLO}).json()
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "hello there"}
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body["usage"] == {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}


def test_model_may_be_omitted(server: ModelServer) -> None:
    assert post(server, {"messages": HELLO}).status_code == 200


def test_options_reach_the_model_and_transport_fields_do_not(
    server: ModelServer, fake: Any
) -> None:
    post(server, {"messages": HELLO, "max_tokens": 5, "choices": ["a", "b"], "user": "u1"})
    assert fake.requests[-1].params == {"max_tokens": 5, "choices": ["a", "b"]}


def test_unknown_model_is_a_404_model_not_found(server: ModelServer) -> None:
    reply = post(server, {"model": "gpt-4o", "messages": HELLO})
    assert reply.status_code == 404
    error = error_of(reply)
    assert (error["param"], error["code"]) == ("model", "model_not_found")
    assert "gpt-4o" in error["message"]


def test_model_may_be_named_by_an_alias_in_any_case(fake: Any) -> None:
    with ModelServer(fake, aliases=["smollm2"]).start() as aliased:
        body = {"model": "SmolLM2", "messages": HELLO}
        reply = httpx.post(f"{aliased.url}/chat/completions", json=body, timeout=30)
    assert reply.status_code == 200


def test_unknown_model_id_lookup_is_a_404(server: ModelServer) -> None:
    assert httpx.get(f"{server.url}/models/nope", timeout=30).status_code == 404
    assert httpx.get(f"{server.url}/models/fake", timeout=30).json()["id"] == "fake"


def test_unknown_path_is_a_404_in_openai_shape(server: ModelServer) -> None:
    reply = httpx.get(f"{server.url}/nothing", timeout=30)
    assert reply.status_code == 404
    assert error_of(reply)["type"] == "invalid_request_error"


def test_messages_not_a_list_is_a_422_naming_messages(server: ModelServer) -> None:
    reply = post(server, {"messages": "hi"})
    assert reply.status_code == 422
    assert error_of(reply)["param"] == "messages"


def test_non_positive_max_tokens_is_a_422_naming_it(server: ModelServer) -> None:
    reply = post(server, {"messages": HELLO, "max_tokens": 0})
    assert reply.status_code == 422
    assert error_of(reply)["param"] == "max_tokens"


def test_unparsable_json_is_a_422(server: ModelServer) -> None:
    reply = httpx.post(f"{server.url}/chat/completions", content=b"{not json", timeout=30)
    assert reply.status_code == 422
    assert error_of(reply)["code"] == "invalid_body"


def test_invalid_option_found_by_the_model_is_a_400_naming_it(
    server: ModelServer, fake: Any
) -> None:
    fake.fail = ConfigError("tool_choice", "sometimes", "use 'auto' or 'none'")
    reply = post(server, {"messages": HELLO})
    assert reply.status_code == 400
    assert error_of(reply)["param"] == "tool_choice"


def test_context_overflow_is_a_400_context_length_exceeded(server: ModelServer, fake: Any) -> None:
    fake.fail = ContextWindowExceededError(model="fake", window=2048, tokens=5000)
    reply = post(server, {"messages": HELLO})
    assert reply.status_code == 400
    error = error_of(reply)
    assert (error["code"], error["param"]) == ("context_length_exceeded", "messages")
    assert "2048" in error["message"] and "5000" in error["message"]


def test_llama_cpp_overflow_error_is_a_400_context_length_exceeded(
    server: ModelServer, fake: Any
) -> None:
    fake.fail = ValueError("Requested tokens (3001) exceed context window of 2048")
    reply = post(server, {"messages": HELLO})
    assert reply.status_code == 400
    assert error_of(reply)["code"] == "context_length_exceeded"


def test_streamed_request_overflowing_is_a_plain_400(server: ModelServer, fake: Any) -> None:
    fake.fail = ContextWindowExceededError(model="fake", window=64, tokens=100)
    reply = post(server, {"messages": HELLO, "stream": True})
    assert reply.status_code == 400
    assert reply.headers["content-type"] == "application/json"
    assert error_of(reply)["code"] == "context_length_exceeded"


def test_unexpected_model_failure_is_a_500_server_error(server: ModelServer, fake: Any) -> None:
    fake.fail = RuntimeError("boom")
    reply = post(server, {"messages": HELLO})
    assert reply.status_code == 500
    assert error_of(reply)["type"] == "server_error"


def test_body_over_the_size_limit_is_a_413_before_it_is_read(server: ModelServer) -> None:
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {17 * 1024 * 1024}\r\n\r\n"
    )
    with socket.create_connection((server.host, server.port), timeout=30) as conn:
        conn.sendall(head.encode())
        status_line = conn.makefile("rb").readline()
    assert status_line.split()[1] == b"413"


def test_openapi_docs_are_served(server: ModelServer) -> None:
    root = server.url.removesuffix("/v1")
    assert httpx.get(f"{root}/docs", timeout=30).status_code == 200
    schema = httpx.get(f"{root}/openapi.json", timeout=30).json()
    assert "/v1/chat/completions" in schema["paths"]


def test_binds_loopback_by_default(fake: Any) -> None:
    with ModelServer(fake) as unstarted:
        assert unstarted.url.startswith("http://127.0.0.1:")


def test_port_in_use_is_a_config_error_naming_the_port(server: ModelServer, fake: Any) -> None:
    with pytest.raises(ConfigError, match="port"):
        ModelServer(fake, port=server.port)


def test_missing_server_stack_is_a_config_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "uvicorn" else real(name)
    )
    with pytest.raises(ConfigError, match=r"convogen\[studio\]"):
        require_server_stack()


def test_openai_sdk_chats_and_streams(server: ModelServer) -> None:
    sdk = OpenAI(base_url=server.url, api_key="none", max_retries=0, timeout=30)
    messages: Any = HELLO
    completion = sdk.chat.completions.create(model="fake", messages=messages)
    assert completion.choices[0].message.content == "hello there"
    stream = sdk.chat.completions.create(model="fake", messages=messages, stream=True)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert text == "hello there "


def test_openai_sdk_raises_not_found_for_an_unknown_model(server: ModelServer) -> None:
    sdk = OpenAI(base_url=server.url, api_key="none", max_retries=0, timeout=30)
    messages: Any = HELLO
    with pytest.raises(openai.NotFoundError) as caught:
        sdk.chat.completions.create(model="gpt-4o", messages=messages)
    assert caught.value.code == "model_not_found"
