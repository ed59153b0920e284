"""Classic ``autogen.coding.jupyter.local_jupyter_server``: kernels on this host.

0.2 started a Jupyter kernel gateway on a TCP port. convogen starts each executor's kernel
with jupyter_client over private IPC sockets instead: no port other local users could reach.
"""

from __future__ import annotations

import secrets
from types import TracebackType
from typing import ClassVar, Self

from convogen.coding.jupyter.base import JupyterConnectionInfo
from convogen.coding.jupyter.jupyter_client import JupyterClient
from convogen.errors import CodeExecutionError


class GenerateTokenMarker:
    """Marker default: make up a random token."""


GENERATE_TOKEN = GenerateTokenMarker()


class LocalJupyterServer:
    """Provides local ipykernel kernels to JupyterCodeExecutor (no network server)."""

    GenerateToken: ClassVar[type[GenerateTokenMarker]] = GenerateTokenMarker

    def __init__(
        self,
        ip: str = "127.0.0.1",
        port: int | None = None,
        token: str | GenerateTokenMarker = GENERATE_TOKEN,
        log_file: str = "jupyter_gateway.log",
        log_level: str = "INFO",
        log_max_bytes: int = 1048576,
        log_backup_count: int = 3,
    ) -> None:
        try:
            import ipykernel  # noqa: F401
            import jupyter_client  # noqa: F401
        except ImportError as exc:
            raise CodeExecutionError(
                "LocalJupyterServer needs jupyter_client and ipykernel: "
                "pip install 'convogen[jupyter]'"
            ) from exc
        self._token = secrets.token_hex(32) if isinstance(token, GenerateTokenMarker) else token
        self._info = JupyterConnectionInfo(host=ip, use_https=False, port=port, token=self._token)
        self._stopped = False

    @property
    def connection_info(self) -> JupyterConnectionInfo:
        """Host and token (no port: kernels are reached over IPC, not HTTP)."""
        return self._info

    @property
    def stopped(self) -> bool:
        """Whether stop() was called; executors refuse to start kernels then."""
        return self._stopped

    def get_client(self) -> JupyterClient:
        """Not available: there is no HTTP server to talk to."""
        raise NotImplementedError(
            "convogen's LocalJupyterServer runs kernels over IPC, without a REST server; "
            "pass it to JupyterCodeExecutor"
        )

    def stop(self) -> None:
        """Refuse new kernels (each executor's kernel stops with its executor)."""
        self._stopped = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
