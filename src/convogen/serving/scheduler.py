"""One model, many clients: requests run one at a time on a worker thread, in arrival order."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeVar

from convogen.llm.protocol import ModelRequest, ModelResponse

T = TypeVar("T")


class ServedModel(Protocol):
    """What the server needs of a model: its name and a blocking ``create_sync``.

    With ``params["stream"]`` true and a ``stream_output`` callable, the model calls it with each
    piece of text as it is generated (replies forced into a shape may not stream).
    """

    model: str

    def create_sync(self, request: ModelRequest) -> ModelResponse:
        """Complete ``request`` on the calling thread."""
        ...


class ClientGone(Exception):
    """Raised inside a streaming generation to stop it: its client hung up."""


@dataclass(frozen=True)
class StreamText:
    """A piece of streamed text."""

    text: str


@dataclass(frozen=True)
class StreamDone:
    """The generation finished; the full response."""

    response: ModelResponse


@dataclass(frozen=True)
class StreamFailed:
    """The generation failed."""

    error: BaseException


StreamEvent = StreamText | StreamDone | StreamFailed


class ModelScheduler:
    """Runs generations on one worker thread in FIFO order (the model serves one at a time)."""

    def __init__(self, model: ServedModel) -> None:
        self.model = model
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="convogen-model")
        self._waiting = 0  # touched on the event loop only

    @property
    def waiting(self) -> int:
        """Requests queued or generating."""
        return self._waiting

    async def complete(self, request: ModelRequest) -> ModelResponse:
        """Queue ``request``; return its response once its turn comes and it finishes."""
        return await self._run(self.model.create_sync, request)

    async def _run(self, fn: Callable[[ModelRequest], T], request: ModelRequest) -> T:
        loop = asyncio.get_running_loop()
        self._waiting += 1
        try:
            # A cancelled await cancels the job too when it has not started yet.
            return await loop.run_in_executor(self._worker, fn, request)
        finally:
            self._waiting -= 1

    async def stream(self, request: ModelRequest) -> AsyncGenerator[StreamEvent, None]:
        """Queue ``request`` as a stream; yield text as generated, then Done or Failed.

        Leaving the iteration early (the client hung up) stops the generation at its next piece
        of text, or skips it if it has not started.
        """
        loop = asyncio.get_running_loop()
        events: asyncio.Queue[StreamEvent] = asyncio.Queue()
        gone = threading.Event()

        def emit(event: StreamEvent) -> None:
            if not gone.is_set():
                loop.call_soon_threadsafe(events.put_nowait, event)

        def on_text(text: str) -> None:
            if gone.is_set():
                raise ClientGone
            emit(StreamText(text))

        def job(req: ModelRequest) -> None:
            if gone.is_set():
                return
            params = {**req.params, "stream": True, "stream_output": on_text}
            try:
                emit(StreamDone(self.model.create_sync(ModelRequest(req.messages, params))))
            except ClientGone:
                pass
            except Exception as exc:  # every failure is reported to the client, none escapes
                emit(StreamFailed(exc))

        future = loop.run_in_executor(self._worker, job, request)
        self._waiting += 1
        try:
            while True:
                event = await events.get()
                yield event
                if not isinstance(event, StreamText):
                    return
        finally:
            self._waiting -= 1
            gone.set()
            future.cancel()

    def close(self) -> None:
        """Stop taking work; a generation in progress finishes on its own thread."""
        self._worker.shutdown(wait=False, cancel_futures=True)
