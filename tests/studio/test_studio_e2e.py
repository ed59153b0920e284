"""End to end in headless Chromium: build a team in the page, run it, answer it, see the plot."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from studio_support import coder_agent, plot_team

from convogen.studio import create_app

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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "studio-screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (install it with scripts/browser.sh)",
)


@pytest.fixture
def start_studio(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Starts studios on free loopback ports, served by uvicorn in background threads."""
    running: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(token: str | None = None) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = create_app(tmp_path / f"data{len(running)}", token=token)
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
    page.wait_for_function("document.querySelector('.code-result img').naturalWidth > 0")
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
    page.wait_for_function("document.querySelector('#result-card img').naturalWidth > 0")
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


def test_the_page_sends_the_token_to_the_api_the_stream_and_images(
    start_studio: Callable[..., str], browser: BrowserContext
) -> None:
    studio_url = start_studio(token="tok-123")
    auth = {"Authorization": "Bearer tok-123"}
    created = httpx.post(f"{studio_url}/api/teams", json=plot_team(), headers=auth)
    assert created.status_code == 201
    page = browser.new_page()
    refused = page.goto(studio_url)
    assert refused is not None and refused.status == 401  # no token, no page
    page.goto(f"{studio_url}/?token=tok-123")
    page.click("#tab-run")
    expect(page.locator("#run-team option")).to_have_text(["plotters"])
    page.fill("#run-task", "Plot the squares")
    page.click("#run-start")
    page.wait_for_function("document.querySelector('.code-result img')?.naturalWidth > 0")
    expect(page.locator("#human-box")).to_be_visible()
    page.click("#human-exit")
    expect(page.locator("#result-stop")).to_have_text("human_exit")
