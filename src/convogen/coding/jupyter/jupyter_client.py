"""Classic ``autogen.coding.jupyter.jupyter_client``: the REST side of a Jupyter server."""

from __future__ import annotations

from typing import Any, cast

from convogen.coding.jupyter.base import JupyterConnectionInfo

_TIMEOUT_S = 30.0


class JupyterClient:
    """Lists, starts, restarts and deletes kernels through a Jupyter server's REST API."""

    def __init__(self, connection_info: JupyterConnectionInfo) -> None:
        if not isinstance(connection_info, JupyterConnectionInfo):
            raise TypeError(f"connection_info must be a JupyterConnectionInfo: {connection_info!r}")
        self._info = connection_info

    def _url(self, path: str) -> str:
        scheme = "https" if self._info.use_https else "http"
        port = f":{self._info.port}" if self._info.port else ""
        return f"{scheme}://{self._info.host}{port}/api/{path}"

    def _request(self, method: str, path: str, json: Any = None) -> Any:
        import httpx

        headers = {"Authorization": f"token {self._info.token}"} if self._info.token else {}
        response = httpx.request(
            method, self._url(path), json=json, headers=headers, timeout=_TIMEOUT_S
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def list_kernel_specs(self) -> dict[str, dict[str, str]]:
        """The server's kernel specs."""
        return cast(dict[str, dict[str, str]], self._request("GET", "kernelspecs"))

    def list_kernels(self) -> list[dict[str, str]]:
        """The kernels running on the server."""
        return cast(list[dict[str, str]], self._request("GET", "kernels"))

    def start_kernel(self, kernel_spec_name: str) -> str:
        """Start a kernel of the given spec; returns its id."""
        started = self._request("POST", "kernels", json={"name": kernel_spec_name})
        return str(started["id"])

    def delete_kernel(self, kernel_id: str) -> None:
        """Shut a kernel down."""
        self._request("DELETE", f"kernels/{kernel_id}")

    def restart_kernel(self, kernel_id: str) -> None:
        """Restart a kernel."""
        self._request("POST", f"kernels/{kernel_id}/restart")

    def get_kernel_client(self, kernel_id: str) -> Any:
        """Not supported: convogen runs kernels locally, not over a server's websocket."""
        raise NotImplementedError(
            "convogen does not execute code over a Jupyter server's websocket; use "
            "JupyterCodeExecutor(LocalJupyterServer()) or EmbeddedIPythonCodeExecutor"
        )
