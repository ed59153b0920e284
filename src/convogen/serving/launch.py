"""Entry points: load the local model and serve it (the CLI's ``serve-model``)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.llm.local.model_file import DEFAULT_MODEL_NAME
from convogen.serving.deps import require_server_stack

if TYPE_CHECKING:
    from convogen.llm.local.client import LocalModelClient
    from convogen.serving.server import ModelServer

# The name convogen's docs and examples give the embedded model ({"model": "smollm2"}).
EMBEDDED_SHORT_NAME = "smollm2"


def start_model_server(
    host: str = "127.0.0.1",
    port: int = 0,
    model_path: str | None = None,
    **entry: Any,
) -> ModelServer:
    """Load the model and serve it on a background thread (``port=0``: any free port)."""
    require_server_stack()
    from convogen.llm.local.client import LocalModelClient
    from convogen.serving.server import ModelServer

    client = LocalModelClient({**entry, "model_path": model_path})
    _ = client.engine  # load now, so the first request is not the slow one
    return ModelServer(client, host, port, aliases=_aliases(client, model_path)).start()


def serve_model(
    host: str = "127.0.0.1",
    port: int = 0,
    model_path: str | None = None,
    *,
    n_ctx: int | None = None,
    n_threads: int | None = None,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the embedded (or ``model_path``) model until interrupted; the CLI's serve-model."""
    require_server_stack()
    from convogen.llm.local.client import LocalModelClient
    from convogen.serving.server import ModelServer

    entry: dict[str, Any] = {"model_path": model_path}
    if n_ctx is not None:
        entry["n_ctx"] = n_ctx
    if n_threads is not None:
        entry["n_threads"] = n_threads
    client = LocalModelClient(entry)
    engine = client.engine
    server = ModelServer(client, host, port, aliases=_aliases(client, model_path))
    echo(
        f"Serving {client.model} ({engine.settings.model_path.name}, loaded in "
        f"{engine.load_seconds:.2f}s) at {server.url} (OpenAI-compatible; API docs at "
        f"{server.url.removesuffix('/v1')}/docs; Ctrl-C stops)"
    )
    _serve_until_interrupted(server, echo)


def _aliases(client: LocalModelClient, model_path: str | None) -> list[str]:
    """Names a request may use: the file's stem, and for the embedded model its short name."""
    names = [client.model, client.settings.model_path.stem]
    if model_path is None:
        names += [DEFAULT_MODEL_NAME, EMBEDDED_SHORT_NAME]
    return names


def _serve_until_interrupted(server: ModelServer, echo: Callable[[str], None]) -> None:
    previous = None
    if threading.current_thread() is threading.main_thread():
        # uvicorn stops gracefully on SIGTERM, then re-raises it: this makes that a clean stop.
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    echo("Stopped.")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
