"""A fake model that records how it was called, and a server over it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from convogen.llm.protocol import ModelRequest, ModelResponse, Usage
from convogen.messages import Message
from convogen.serving import ModelServer


class FakeModel:
    """Replies with the last user message, streamed word by word; records every call."""

    model = "fake"

    def __init__(self) -> None:
        self.requests: list[ModelRequest] = []
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()
        self.fail: BaseException | None = None
        self.reply: Message | None = None
        self.endless = False
        self.fail_midway: BaseException | None = None
        self.stopped = threading.Event()

    def create_sync(self, request: ModelRequest) -> ModelResponse:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.requests.append(request)
        try:
            return self._reply(request)
        finally:
            with self.lock:
                self.running -= 1

    def _reply(self, request: ModelRequest) -> ModelResponse:
        if self.fail is not None:
            raise self.fail
        message = self.reply or {"role": "assistant", "content": request.messages[-1]["content"]}
        output: Callable[[str], None] | None = request.params.get("stream_output")
        if output is not None and self.reply is None:
            self._stream(str(message["content"]), output)
        raw = [{"choices": [{"finish_reason": "stop"}]}]
        usage = Usage(prompt_tokens=3, completion_tokens=2)
        return ModelResponse(choices=[message], model=self.model, usage=usage, raw=raw)

    def _stream(self, text: str, output: Callable[[str], None]) -> None:
        try:
            for word in text.split(" "):
                output(word + " ")
                if self.fail_midway is not None:
                    raise self.fail_midway
            deadline = time.monotonic() + 10
            while self.endless and time.monotonic() < deadline:
                output("more ")
                time.sleep(0.001)  # a token's worth of generation time
        except BaseException:
            self.stopped.set()
            raise


@pytest.fixture
def fake() -> FakeModel:
    return FakeModel()


@pytest.fixture
def server(fake: FakeModel) -> Iterator[ModelServer]:
    with ModelServer(fake).start() as running:
        yield running
