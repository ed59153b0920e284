"""End to end in headless Chromium: build a team in the page, run it, answer it, see the plot."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from studio_support import coder_agent, plot_team, scripted, user_agent

from convogen.studio import create_app
from convogen.studio.auth import COOKIE_NAME

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network: without these Chromium waits on connections it never gets.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What a page of the studio's origin could do: define an agent that runs code on the host.
EXPLOIT_JS = (
    "fetch('/api/agents', {method: 'POST', headers: {'Content-Type': 'application/json'}, "
    "body: JSON.stringify({name: 'pwned', code_execution: {executor: 'local'}})})"
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "studio-screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (install it with scripts/browser.sh)",
)


@pytest.fixture
def start_studio(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Starts studios on free loopback ports, served by uvicorn in background threads."""
    running: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(token: str | None = None, requests: list[tuple[str, str, int]] | None = None) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app: ASGIApp = create_app(tmp_path / f"data{len(running)}", token=token)
        if requests is not None:
            app = Recorder(app, requests)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="websockets-sansio"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread, sock))
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the studio server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread, sock in running:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


class Recorder:
    """Notes (method, path, status) of every HTTP request the studio answers."""

    def __init__(self, app: ASGIApp, requests: list[tuple[str, str, int]]) -> None:
        self.app = app
        self.requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.requests.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, noting)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1360, "height": 900},
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


class Shots:
    """Screenshots into the test's tmp dir, copied to studio-screenshots/ at the repo root."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        SCREENSHOTS.mkdir(exist_ok=True)

    def take(self, name: str) -> None:
        path = self.folder / f"{name}.png"
        # Full-page shots of a scrolled page draw sticky bars mid-page; start at the top.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(path), full_page=True)
        shutil.copy(path, SCREENSHOTS / path.name)


def save_agent(page: Page, name: str, kind: str, **fields: str) -> None:
    page.fill("#agent-name", name)
    page.select_option("#agent-kind", kind)
    if "mode" in fields:
        page.select_option("#agent-mode", fields["mode"])
    if "max_auto" in fields:
        page.fill("#agent-max-auto", fields["max_auto"])
    if "llm" in fields:
        page.fill("#agent-llm", fields["llm"])
    if fields.get("code"):
        page.check("#agent-code")
    page.click("#agent-save")
    expect(page.locator("#agent-list .item-name", has_text=name)).to_be_visible()
    page.click("#agent-clear")


def test_build_run_answer_and_replay_in_the_browser(
    start_studio: Callable[..., str], browser: BrowserContext, tmp_path: Path
) -> None:
    studio_url = start_studio()
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The page must work under its own CSP: no inline script or style gets blocked.
    page.on("console", lambda m: errors.append(m.text) if "Security Policy" in m.text else None)
    shots = Shots(page, tmp_path / "screenshots")
    page.goto(studio_url)

    # Team builder: two agents from forms, then a team of them.
    save_agent(page, "user", "user_proxy", mode="TERMINATE", code="yes")
    coder = coder_agent()
    save_agent(
        page, "coder", "assistant", max_auto="2", llm=json.dumps(coder["llm_config"], indent=1)
    )
    page.fill("#team-name", "plotters")
    page.check("#team-members input[value=user]")
    page.check("#team-members input[value=coder]")
    page.select_option("#team-initiator", "user")
    page.select_option("#team-recipient", "coder")
    page.fill("#team-task", "Plot the squares of 0 to 9")
    page.click("#team-save")
    expect(page.locator("#team-list .item-name", has_text="plotters")).to_be_visible()
    shots.take("01-team-builder")

    # Live run: messages stream in, the code's plot shows inline, then a prompt appears.
    page.click("#tab-run")
    page.select_option("#run-team", "plotters")
    page.fill("#run-task", "Plot the squares of 0 to 9")
    page.click("#run-start")
    expect(page.locator(".msg .speaker", has_text="coder").first).to_be_visible()
    plot = page.locator(".code-result img")
    expect(plot).to_be_visible()
    page.wait_for_function("() => document.querySelector('.code-result img').naturalWidth > 0")
    expect(page.locator("#human-box")).to_be_visible()
    expect(page.locator("#run-status")).to_have_text("paused")
    shots.take("02-live-run")
    page.fill("#human-answer", "Looks great, thanks!")
    shots.take("03-human-prompt")

    # The answer resumes the run; the final result shows the stop reason and the plot.
    page.click("#human-send")
    expect(page.locator("#result-card")).to_be_visible()
    expect(page.locator("#result-stop")).to_have_text("max_consecutive_auto_reply")
    expect(page.locator("#run-status")).to_have_text("finished")
    expect(page.locator(".msg", has_text="Looks great, thanks!")).to_have_count(1)
    page.wait_for_function("() => document.querySelector('#result-card img').naturalWidth > 0")
    assert page.locator("#usage-tokens").inner_text() != "0"
    shots.take("04-final-result")

    # History lists the run; its replay plays the same conversation back.
    page.click("#tab-history")
    row = page.locator("#history-rows tr", has_text="plotters")
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text("finished")
    shots.take("05-history")
    row.locator("button.replay").click()
    expect(page.locator("#run-status")).to_have_text("replayed")
    expect(page.locator("#result-card img")).to_be_visible()
    assert page.locator(".msg").count() == 5
    shots.take("06-replay")
    assert not errors, errors


def test_the_page_signs_in_with_the_token_and_keeps_it_out_of_urls(
    start_studio: Callable[..., str], browser: BrowserContext, tmp_path: Path
) -> None:
    studio_url = start_studio(token="tok-123")
    auth = {"Authorization": "Bearer tok-123"}
    created = httpx.post(f"{studio_url}/api/teams", json=plot_team(), headers=auth)
    assert created.status_code == 201
    page = browser.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(studio_url)
    expect(page.locator("#login-form")).to_be_visible()  # no token, no data: sign in first
    page.fill("#login-token", "tok-123")
    Shots(page, tmp_path / "screenshots").take("00-sign-in")
    page.click("#login-submit")
    page.click("#tab-run")
    expect(page.locator("#run-team option")).to_have_text(["plotters"])
    page.fill("#run-task", "Plot the squares")
    page.click("#run-start")
    # The image and the run stream are authorised by the session cookie alone.
    page.wait_for_function("() => document.querySelector('.code-result img')?.naturalWidth > 0")
    expect(page.locator("#human-box")).to_be_visible()
    page.click("#human-exit")
    expect(page.locator("#result-stop")).to_have_text("human_exit")
    cookie = next(c for c in browser.cookies() if c["name"] == COOKIE_NAME)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["value"] != "tok-123"
    assert not [url for url in urls if "tok-123" in url]


def exploit_team() -> dict[str, Any]:
    """A team whose code writes an SVG and an HTML page that try to define a host-run agent."""
    code = "\n".join(
        [
            f"js = {EXPLOIT_JS!r}",
            "svg = '<svg xmlns=\"http://www.w3.org/2000/svg\"><script>' + js + '</script></svg>'",
            "open('evil.svg', 'w').write(svg)",
            "open('evil.html', 'w').write('<html><script>' + js + '</script></html>')",
            "print('written')",
        ]
    )
    coder = {"name": "coder", "llm_config": scripted([f"```python\n{code}\n```", "TERMINATE"])}
    return {
        "name": "exploit",
        "agents": [user_agent(mode="NEVER"), coder],
        "initiator": "user",
        "task": "Write the files",
    }


def test_a_produced_svg_or_html_page_opened_in_the_browser_cannot_call_the_api(
    start_studio: Callable[..., str], browser: BrowserContext
) -> None:
    requests: list[tuple[str, str, int]] = []
    studio_url = start_studio(requests=requests)
    assert httpx.post(f"{studio_url}/api/teams", json=exploit_team()).status_code == 201
    run_id = httpx.post(f"{studio_url}/api/runs", json={"team": "exploit"}).json()["run_id"]
    detail = wait_finished(studio_url, run_id)
    files = {f["name"]: f for f in detail["files"]}
    assert {"evil.svg", "evil.html"} <= set(files) and not files["evil.svg"]["image"]
    page = browser.new_page()
    page.goto(studio_url)  # a person who has the studio open...
    expect(page.locator("#agent-list")).to_be_attached()
    for name in ("evil.svg", "evil.html"):
        # ...opens a produced file as a page: it downloads instead of running.
        with (
            page.expect_download(timeout=10_000) as download,
            contextlib.suppress(PlaywrightError),
        ):
            page.goto(studio_url + files[name]["url"])
        assert download.value.suggested_filename == name
    assert httpx.get(f"{studio_url}/api/agents").json() == []
    assert not [r for r in requests if r[:2] == ("POST", "/api/agents")]


def wait_finished(studio_url: str, run_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The run's detail once it finished."""
    deadline = time.monotonic() + timeout
    detail: dict[str, Any] = {}
    while time.monotonic() < deadline:
        detail = httpx.get(f"{studio_url}/api/runs/{run_id}").json()
        if detail.get("status") in ("finished", "failed"):
            assert detail["status"] == "finished", detail
            return detail
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish: {detail}")
