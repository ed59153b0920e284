"""Studio defences: inert produced files, CSP, same-origin requests, tokens out of URLs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from starlette.types import Message, Scope
from starlette.websockets import WebSocketDisconnect
from studio_support import local_client, stream_url
from uvicorn.protocols.utils import get_path_with_query_string

from convogen.studio import create_app
from convogen.studio.auth import COOKIE_NAME
from convogen.studio.files import raster_type

if TYPE_CHECKING:
    from uvicorn._types import HTTPScope

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>'
    b"fetch('/api/agents', {method: 'POST', body: '{}'})</script></svg>"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
RASTERS = {
    "image/png": PNG,
    "image/jpeg": b"\xff\xd8\xff\xe0" + b"\x00" * 16,
    "image/gif": b"GIF89a" + b"\x00" * 16,
    "image/webp": b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 8,
}
RUN_ID = "feedface0001"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(tmp_path, gallery=False)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return local_client(app)


def produce(app: FastAPI, name: str, content: bytes) -> str:
    """A file as if code of run RUN_ID had written it; its URL."""
    runs = app.state.runs
    if runs.store.get_run(RUN_ID) is None:
        runs.store.create_run(RUN_ID, "studio", {"team": {"name": "t"}, "task": "x"})
    path = runs.files_dir(RUN_ID) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return str(runs.file_url(RUN_ID, path))


# ------------------------------------------------------------------- produced files
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.svg", SVG_WITH_SCRIPT),
        ("evil.html", b"<script>fetch('/api/agents', {method: 'POST'})</script>"),
        ("evil.js", b"fetch('/api/agents')"),
        ("plot.png", SVG_WITH_SCRIPT),  # an SVG named like a PNG
        ("noext", b"<html><script>alert(1)</script>"),
    ],
)
def test_a_file_that_is_not_a_raster_image_is_an_opaque_sandboxed_download(
    app: FastAPI, client: TestClient, name: str, content: bytes
) -> None:
    response = client.get(produce(app, name, content))
    assert response.status_code == 200 and response.content == content
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert name in response.headers["content-disposition"]
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("media_type", "content"), list(RASTERS.items()))
def test_a_raster_image_is_shown_inline_with_its_type_but_sandboxed(
    app: FastAPI, client: TestClient, media_type: str, content: bytes
) -> None:
    response = client.get(produce(app, "picture.bin", content))
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"].startswith("inline;")
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_raster_types_are_judged_by_the_bytes_not_the_name(tmp_path: Path) -> None:
    fake = tmp_path / "fake.png"
    fake.write_bytes(SVG_WITH_SCRIPT)
    real = tmp_path / "real.svg"
    real.write_bytes(PNG)
    assert raster_type(fake) is None
    assert raster_type(real) == "image/png"


def test_the_page_shows_inline_only_files_whose_bytes_are_raster_images(tmp_path: Path) -> None:
    from convogen.studio.events import EventHub, RunContext

    files = tmp_path / "files"
    files.mkdir()
    (files / "plot.svg").write_bytes(SVG_WITH_SCRIPT)
    (files / "plot.png").write_bytes(PNG)
    context = RunContext(EventHub(lambda run: tmp_path / "e.jsonl"), "r", files, str)
    event = context.code_event(
        "user", {"files": [str(files / "plot.svg"), str(files / "plot.png")]}
    )
    assert [(f["name"], f["image"]) for f in event["files"]] == [
        ("plot.svg", False),
        ("plot.png", True),
    ]


# --------------------------------------------------------------------- page policy
@pytest.mark.parametrize("path", ["/", "/static/studio.js", "/api/health", "/api/agents/nobody"])
def test_every_response_forbids_inline_script_framing_sniffing_and_referrers(
    client: TestClient, path: str
) -> None:
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_event_handler_attributes(client: TestClient) -> None:
    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "javascript:" not in html


# -------------------------------------------------------------------------- origins
def test_a_page_on_another_loopback_port_is_refused(client: TestClient) -> None:
    host = {"Host": "127.0.0.1:8081"}
    other = client.get("/api/runs", headers={**host, "Origin": "http://127.0.0.1:9999"})
    assert other.status_code == 403 and "Origin" in other.text
    same = client.get("/api/runs", headers={**host, "Origin": "http://127.0.0.1:8081"})
    assert same.status_code == 200


def test_a_sandboxed_document_with_the_null_origin_is_refused(client: TestClient) -> None:
    response = client.post("/api/agents", json={"name": "x"}, headers={"Origin": "null"})
    assert response.status_code == 403


def test_a_stream_opened_by_a_page_on_another_port_is_refused(client: TestClient) -> None:
    headers = {"Host": "127.0.0.1:8081", "Origin": "http://127.0.0.1:9999"}
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect(stream_url("x"), headers=headers),
    ):
        pass
    assert closed.value.code == 1008


def test_with_a_token_pages_of_other_origins_are_refused_too(tmp_path: Path) -> None:
    client = TestClient(
        create_app(tmp_path, token="s3cret", gallery=False), base_url="http://studio.lan:8081"
    )
    auth = {"Authorization": "Bearer s3cret"}
    assert client.get("/api/runs", headers=auth).status_code == 200
    foreign = client.get("/api/runs", headers={**auth, "Origin": "http://studio.lan:9999"})
    assert foreign.status_code == 403


def test_cross_site_requests_without_an_origin_are_refused(client: TestClient) -> None:
    fetch = {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"}
    assert client.get("/api/runs", headers=fetch).status_code == 403


# ---------------------------------------------------------------- tokens and cookies
def test_a_token_in_the_query_string_is_refused(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path, token="s3cret", gallery=False))
    response = client.get("/api/teams?token=s3cret")
    assert response.status_code == 400 and "URL" in response.text
    assert "s3cret" not in response.text
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/api/runs/x/stream?token=s3cret"),
    ):
        pass
    assert closed.value.code == 1008


async def test_a_refused_query_token_is_wiped_from_the_url_the_server_logs(
    tmp_path: Path,
) -> None:
    app = create_app(tmp_path, token="s3cret", gallery=False)
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/teams",
        "raw_path": b"/api/teams",
        "query_string": b"token=s3cret&x=1",
        "headers": [(b"host", b"127.0.0.1:8081")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8081),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 400
    logged = get_path_with_query_string(cast("HTTPScope", scope))  # what uvicorn logs
    assert "s3cret" not in logged and logged.startswith("/api/teams?token=")


def test_signing_in_gives_an_http_only_strict_cookie_that_opens_api_and_stream(
    tmp_path: Path,
) -> None:
    client = TestClient(create_app(tmp_path, token="s3cret", gallery=False))
    signed_in = client.post("/api/login", json={"token": "s3cret"})
    assert signed_in.status_code == 204
    cookie = signed_in.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=") and "s3cret" not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert client.get("/api/teams").status_code == 200
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/api/runs/feedface0000/stream"),
    ):
        pass
    assert closed.value.code == 4404  # past the token check: the run does not exist
    client.post("/api/logout")
    assert client.get("/api/teams").status_code == 401


def test_a_wrong_token_does_not_sign_in(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path, token="s3cret", gallery=False))
    response = client.post("/api/login", json={"token": "guess"})
    assert response.status_code == 401 and "set-cookie" not in response.headers
    client.cookies.set(COOKIE_NAME, "s3cret")  # the token itself is not a session
    assert client.get("/api/teams").status_code == 401
