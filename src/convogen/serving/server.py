"""``ModelServer``: the app on uvicorn, on a background thread or the calling one."""

from __future__ import annotations

import socket
import threading
from collections.abc import Collection

import uvicorn

from convogen.errors import ConfigError
from convogen.serving.app import create_app
from convogen.serving.scheduler import ModelScheduler, ServedModel

# How long close() lets open requests finish before dropping them.
GRACEFUL_SHUTDOWN_S = 5


class ModelServer:
    """A model served over HTTP: its ``url`` (ending in /v1), ``port``, and ``close()``.

    Requests name the model by ``client.model`` or one of ``aliases`` (any case), or not at all.

    The port is bound at construction, so ``url`` is usable (connections wait in the backlog)
    before the server starts.
    """

    def __init__(
        self,
        client: ServedModel,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        aliases: Collection[str] = (),
    ) -> None:
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise ConfigError("port", port, "must be an int in 0..65535 (0: any free port)")
        self.client = client
        self.host = host
        self._socket = _listen(host, port)
        self.port: int = self._socket.getsockname()[1]
        self._scheduler = ModelScheduler(client)
        config = uvicorn.Config(
            create_app(self._scheduler, aliases),
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The OpenAI ``base_url`` of this server."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def start(self) -> ModelServer:
        """Serve on a background thread; returns self."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="convogen-model-server", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until ``close()``; on the main thread, SIGINT/SIGTERM stop it."""
        self._server.run(sockets=[self._socket])

    def close(self) -> None:
        """Stop serving (open requests get a few seconds to finish) and release the port."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._scheduler.close()
        self._socket.close()

    def __enter__(self) -> ModelServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a ConfigError saying why there can be none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError("host", host, f"cannot resolve it: {exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ConfigError("port", port, f"cannot listen on {host}:{port}: {exc}") from exc
    sock.set_inheritable(True)
    return sock
