"""`convogen serve-model` end to end: the real embedded model in a child process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx
import pytest

from convogen.errors import ConfigError
from convogen.llm.local import llama_cpp_available
from convogen.llm.local.model_file import default_model_path


def _model_installed() -> bool:
    if not llama_cpp_available():
        return False
    try:
        default_model_path()
    except ConfigError:
        return False
    return True


@pytest.mark.skipif(not _model_installed(), reason="llama-cpp-python or SmolLM2 not installed")
def test_serve_model_answers_then_stops_cleanly_on_sigterm() -> None:
    run_cli = "from convogen.cli import main; main()"
    command = [sys.executable, "-c", run_cli, "serve-model", "--port", "0"]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    try:
        assert child.stdout is not None
        banner = child.stdout.readline()
        url = re.search(r"at (http://127\.0\.0\.1:\d+/v1)", banner)
        assert url, banner
        body = {
            "model": "smollm2",
            "messages": [{"role": "user", "content": "Hi"}],
            "max_tokens": 2,
        }
        reply = httpx.post(f"{url.group(1)}/chat/completions", json=body, timeout=60)
        assert reply.status_code == 200
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0
    assert "Stopped." in out
    assert "Traceback" not in err
