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

    def start(
        token: str | None = None,
        requests: list[tuple[str, str, int]] | None = None,
        gallery: bool = False,
    ) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app: ASGIApp = create_app(tmp_path / f"data{len(running)}", token=token, gallery=gallery)
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


WORD_COUNT = "convogen.studio.gallery_tools:word_count"
UNTRUSTED_REPLY = (
    "<img src=x id=injected> **bold** and code:\n```python\nprint('hi')  # note\n```\nTERMINATE"
)


def markup_team() -> dict[str, Any]:
    """A team whose model writes HTML (shown as text) and Markdown with code."""
    bot = {"name": "bot", "llm_config": scripted([UNTRUSTED_REPLY])}
    return {
        "name": "markup",
        "agents": [user_agent(mode="NEVER", code=False), bot],
        "initiator": "user",
        "task": "Show markup",
    }


def broken_team() -> dict[str, Any]:
    """A team whose model has no replies: the run fails, and retrying would not help."""
    bot = {"name": "bot", "llm_config": scripted([])}
    return {
        "name": "broken",
        "agents": [user_agent(mode="NEVER", code=False), bot],
        "initiator": "user",
        "task": "Fail",
    }


def build_panel(page: Page) -> None:
    """A manual group chat of gallery agents: reordered, with transitions drawn as a graph."""
    page.click("#team-clear")
    page.fill("#team-name", "panel")
    page.select_option("#team-type", "group_chat")
    for name in ("human", "writer", "critic"):
        page.check(f"#team-members input[value={name}]")
    page.locator("#team-order li", has_text="critic").locator("button.up").click()
    expect(page.locator("#team-order li > span")).to_have_text(["human", "critic", "writer"])
    page.select_option("#team-method", "manual")
    for source, target in (
        ("human", "writer"),
        ("human", "critic"),
        ("writer", "critic"),
        ("critic", "writer"),
    ):
        page.select_option("#transition-from", source)
        page.select_option("#transition-to", target)
        page.click("#transition-add")
    expect(page.locator("#team-graph line.edge")).to_have_count(4)
    expect(page.locator("#team-graph ellipse.node")).to_have_count(3)
    page.fill("#team-task", "Pitch convogen")
    page.click("#team-save")
    expect(page.locator("#team-list .item-name", has_text="panel")).to_be_visible()


def test_library_group_chat_continue_and_history_in_the_browser(
    start_studio: Callable[..., str],
    browser: BrowserContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STUDIO_E2E_KEY", "not-a-real-key")
    studio_url = start_studio(gallery=True)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if "Security Policy" in m.text else None)
    shots = Shots(page, tmp_path / "screenshots")
    page.goto(studio_url)

    # First start: the gallery's offline teams and the embedded model are there.
    expect(
        page.locator("#team-list .item-name", has_text="gallery-scripted-review")
    ).to_be_visible()
    expect(page.locator("#team-list .item-name", has_text="gallery-local-poem")).to_be_visible()
    expect(page.locator("#model-list .item-name").first).to_have_text("local")

    # Model library: a model whose server is down; "Test" shows the failure as one line.
    page.fill("#model-name", "offline")
    page.fill("#model-model", "gpt-4o")
    page.fill("#model-base-url", "http://127.0.0.1:9/v1")
    page.fill("#model-key-env", "STUDIO_E2E_KEY")
    page.click("#model-save")
    page.locator("#model-list li", has_text="offline").locator("button.test").click()
    result = page.locator("#model-test-result.bad")
    expect(result).to_contain_text("offline: ", timeout=20_000)  # the first call imports openai
    assert "\n" not in result.inner_text()
    shots.take("07-model-library")

    # Tools picker: greeter gets a library tool; the team using greeter follows the edit.
    page.wait_for_load_state("networkidle")  # the library reload after the model save is done
    page.locator("#agent-list li", has_text="greeter").locator("button", has_text="Edit").click()
    expect(page.locator("#agent-name")).to_have_value("greeter")
    page.check(f"#agent-tools input[value='{WORD_COUNT}']", timeout=60_000)
    page.click("#agent-save")
    expect(page.locator("#toast")).to_have_text("Saved agent greeter")
    hello = httpx.get(f"{studio_url}/api/teams/gallery-scripted-hello").json()
    assert hello["agents"][1]["tools"] == [WORD_COUNT]

    # An agent in use cannot be deleted; the refusal names the team.
    page.locator("#agent-list li", has_text="writer").locator("button.danger").click()
    expect(page.locator("#toast")).to_contain_text("gallery-scripted-review")
    shots.take("08-agents-tools-and-refusal")

    build_panel(page)
    shots.take("09-group-chat-editor")

    # Export, then import under another name: the team arrives with its agents as references.
    exported = httpx.get(f"{studio_url}/api/teams/gallery-scripted-hello/export").json()
    exported_file = tmp_path / "imported-hello.json"
    exported_file.write_text(json.dumps({**exported, "name": "imported-hello"}), encoding="utf-8")
    page.set_input_files("#team-import", exported_file)
    expect(page.locator("#team-list .item-name", has_text="imported-hello")).to_be_visible()

    # Manual selection: the person picks the next speaker with a button.
    page.click("#tab-run")
    page.select_option("#run-team", "panel")
    page.fill("#run-task", "Pitch convogen")
    page.click("#run-start")
    expect(page.locator("#human-choices button")).to_have_text(["critic", "writer"])  # member order
    shots.take("10-manual-selection")
    page.locator("#human-choices button", has_text="critic").click()
    expect(page.locator("#run-status")).to_have_text("finished")
    senders = page.locator(".msg .speaker").all_inner_texts()
    assert senders == ["human", "critic", "writer", "critic"]
    expect(page.locator(".msg strong", has_text="Draft:")).to_be_visible()  # Markdown

    # Transcript downloads, then the finished conversation continues.
    with page.expect_download() as download:
        page.click("#transcript-md")
    assert download.value.suggested_filename.endswith(".md")
    assert "## critic" in Path(download.value.path()).read_text(encoding="utf-8")
    page.fill("#continue-message", "One more round, please.")
    shots.take("11-finished-continue")
    page.click("#continue-send")
    page.locator("#human-choices button", has_text="critic").click()
    expect(page.locator("#run-status")).to_have_text("finished")
    expect(page.locator(".msg").first).to_contain_text("Shorter, please.")

    # History: cost, duration, stop reasons; a failed run shows error and offers no Retry.
    for team in (markup_team(), broken_team()):
        assert httpx.post(f"{studio_url}/api/teams", json=team).status_code == 201
        run_id = httpx.post(f"{studio_url}/api/runs", json={"team": team["name"]}).json()["run_id"]
        wait_done(studio_url, run_id)
    page.click("#tab-history")
    failed = page.locator("#history-rows tr", has_text="broken")
    expect(failed.locator(".badge")).to_have_text("failed")
    expect(failed).to_contain_text("error")
    expect(failed.locator("button.retry")).to_have_count(0)
    finished = page.locator("#history-rows tr", has_text="panel").first
    expect(finished.locator("td.cost")).to_have_text("$0.0000")
    expect(finished.locator("td.duration")).to_contain_text(" s")
    shots.take("12-history")
    page.locator("#history-rows tr", has_text="broken").locator("button.delete").click()
    expect(page.locator("#history-rows tr", has_text="broken")).to_have_count(0)

    # Untrusted model output: HTML stays text, Markdown code is highlighted.
    page.locator("#history-rows tr", has_text="markup").locator("button", has_text="Open").click()
    expect(page.locator(".msg", has_text="<img src=x id=injected>")).to_be_visible()
    assert page.locator("#injected").count() == 0
    expect(page.locator(".msg pre.code .tok-str")).to_have_text("'hi'")
    expect(page.locator(".msg pre.code .tok-com")).to_have_text("# note")
    shots.take("13-markdown-and-code")
    assert not errors, errors


def wait_done(studio_url: str, run_id: str, timeout: float = 60.0) -> str:
    """The run's status once it finished or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = str(httpx.get(f"{studio_url}/api/runs/{run_id}").json().get("status"))
        if status in ("finished", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not stop")
