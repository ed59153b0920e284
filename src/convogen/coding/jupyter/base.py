"""Classic ``autogen.coding.jupyter.base``: where a Jupyter server is and who can provide one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass
class JupyterConnectionInfo:
    """Host, scheme, port and token of a Jupyter server."""

    host: str
    use_https: bool
    port: int | None = None
    token: str | None = None


@runtime_checkable
class JupyterConnectable(Protocol):
    """Something that can tell how to connect to its Jupyter server."""

    @property
    def connection_info(self) -> JupyterConnectionInfo:
        """How to reach the server."""
        ...
