"""Classic ``autogen.io.websockets``: a stream over one websocket connection."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from convogen.io.base import IOStream


class IOWebsockets(IOStream):
    """Output is sent over ``websocket``; input sends the prompt and waits for the reply.

    ``websocket`` is any connection with ``send(text)`` and ``recv()`` (such as a
    ``websockets`` server connection).
    """

    def __init__(self, websocket: Any) -> None:
        self._websocket = websocket

    @property
    def websocket(self) -> Any:
        """The connection this stream talks over."""
        return self._websocket

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        self._websocket.send(sep.join(map(str, objects)) + end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        if prompt:
            self._websocket.send(prompt)
        answer = self._websocket.recv()
        return answer.decode("utf-8") if isinstance(answer, bytes) else str(answer)

    @staticmethod
    @contextmanager
    def run_server_in_thread(
        *,
        host: str = "127.0.0.1",
        port: int = 8765,
        on_connect: Callable[[IOWebsockets], None],
        ssl_context: Any = None,
        **kwargs: Any,
    ) -> Iterator[str]:
        """Serve websockets in a thread; each connection runs ``on_connect(IOWebsockets)``."""
        try:
            from websockets.sync.server import serve
        except ImportError as exc:
            raise ImportError(
                "IOWebsockets.run_server_in_thread needs the 'websockets' package "
                "(pip install websockets)"
            ) from exc

        def handler(connection: Any) -> None:
            on_connect(IOWebsockets(connection))

        with serve(handler, host, port, ssl_context=ssl_context, **kwargs) as server:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                yield f"ws://{host}:{port}"
            finally:
                server.shutdown()
                thread.join()
