"""Plain requests skip the SDK's request machinery yet send and map exactly what the SDK does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llm_test_support import entry

from convogen.llm.errors import ModelAPIError
from convogen.llm.openai_client import OpenAIClient
from convogen.llm.openai_direct import behind_env_proxy
from convogen.llm.protocol import ModelRequest
from convogen.llm.test_server import Fault

PLAIN = ModelRequest([{"role": "user", "content": "x"}])
# Per-call headers are an SDK option: such a request keeps the SDK's path.
VIA_SDK = ModelRequest([{"role": "user", "content": "x"}], {"extra_headers": {"X-Via": "sdk"}})
# Added by each transport on its own; neither changes what the server is asked.
TRANSPORT_HEADERS = {"connection", "x-via"}


def _send(client: OpenAIClient, *requests: ModelRequest) -> Any:
    async def run() -> Any:
        for request in requests:
            await client.create(request)
        return await client._loop_state()

    return asyncio.run(run())


def _lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if k.lower() not in TRANSPORT_HEADERS}


def test_a_plain_request_is_sent_directly(server_factory: Any) -> None:
    server = server_factory(replies=["a"])
    state = _send(OpenAIClient(entry(server)), PLAIN)
    assert state.direct is not None


def test_direct_and_sdk_requests_send_the_same_headers_and_body(server_factory: Any) -> None:
    server = server_factory(replies=["a", "b"])
    config = entry(server, organization="org-1", default_headers={"X-Team": "t"}, timeout=30)
    _send(OpenAIClient(config), PLAIN, VIA_SDK)
    direct, sdk = ({k.lower(): v for k, v in headers.items()} for headers in server.headers)
    assert sdk.get("x-via") == "sdk" and "x-via" not in direct
    assert _lower(direct) == _lower(sdk)
    assert direct["authorization"] == "Bearer test-key"
    assert server.requests[0] == server.requests[1]


def test_an_endpoint_behind_an_environment_proxy_keeps_the_sdk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        for variant in (name, name.lower()):
            monkeypatch.delenv(variant, raising=False)
    assert not behind_env_proxy("http://10.1.2.3:8000/v1")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    assert behind_env_proxy("http://10.1.2.3:8000/v1")
    assert not behind_env_proxy("https://10.1.2.3:8000/v1")  # only http is proxied
    monkeypatch.setenv("NO_PROXY", "10.1.2.3")
    assert not behind_env_proxy("http://10.1.2.3:8000/v1")


def test_a_proxied_endpoint_is_left_to_the_sdk(
    server_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = server_factory(replies=[])
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "http://proxy.example:3128")
    # The client's state for this loop is built without sending anything.
    state = asyncio.run(OpenAIClient(entry(server))._loop_state())
    assert state.direct is None


def test_azure_and_url_credentials_keep_the_sdk(server_factory: Any) -> None:
    server = server_factory(replies=["a", "b"])
    azure = {**entry(server), "api_type": "azure", "api_version": "2024-06-01"}
    assert _send(OpenAIClient(azure), PLAIN).direct is None
    proxied = entry(server)
    proxied["base_url"] = proxied["base_url"].replace("://", "://user:pw9@", 1)
    assert _send(OpenAIClient(proxied), PLAIN).direct is None


@pytest.mark.parametrize(
    "fault",
    [
        Fault.server_error(503),
        Fault.bad_request(400),
        Fault.bad_request(401),
        Fault.bad_request(400, code="content_filter"),
        Fault.rate_limit(retry_after=3),
        Fault.malformed(),
        Fault.reset(),
    ],
)
def test_failures_are_mapped_as_the_sdk_maps_them(server_factory: Any, fault: Fault) -> None:
    errors: list[ModelAPIError] = []
    for request in (PLAIN, VIA_SDK):
        server = server_factory(faults=[fault])
        with pytest.raises(ModelAPIError) as info:
            _send(OpenAIClient(entry(server)), request)
        errors.append(info.value)
    direct, sdk = errors
    assert type(direct) is type(sdk)
    assert (direct.status, direct.body) == (sdk.status, sdk.body)
    assert getattr(direct, "retry_after", None) == getattr(sdk, "retry_after", None)
    if direct.status is not None:
        assert str(direct) == str(sdk)
