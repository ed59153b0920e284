"""Classic ``autogen.coding.jupyter.docker_jupyter_server``: not supported, fails clearly."""

from __future__ import annotations

from typing import ClassVar

from convogen.code.docker import docker_problem
from convogen.coding.jupyter.base import JupyterConnectionInfo
from convogen.coding.jupyter.jupyter_client import JupyterClient
from convogen.coding.jupyter.local_jupyter_server import GENERATE_TOKEN, GenerateTokenMarker
from convogen.errors import CodeExecutionError


class DockerJupyterServer:
    """0.2's kernel gateway in a container; convogen refuses it at construction."""

    DEFAULT_DOCKERFILE: ClassVar[str] = ""
    GenerateToken: ClassVar[type[GenerateTokenMarker]] = GenerateTokenMarker

    def __init__(
        self,
        *,
        custom_image_name: str | None = None,
        container_name: str | None = None,
        auto_remove: bool = True,
        stop_container: bool = True,
        docker_env: dict[str, str] | None = None,
        token: str | GenerateTokenMarker = GENERATE_TOKEN,
    ) -> None:
        problem = docker_problem()
        if problem is not None:
            raise CodeExecutionError(f"DockerJupyterServer needs a Docker engine: {problem}")
        raise CodeExecutionError(
            "DockerJupyterServer is not supported by convogen (it needs a remote-kernel "
            "websocket client); use DockerCommandLineCodeExecutor or LocalJupyterServer"
        )

    @property
    def connection_info(self) -> JupyterConnectionInfo:
        """Never reached: construction fails."""
        raise CodeExecutionError("DockerJupyterServer is not supported")

    def get_client(self) -> JupyterClient:
        """Never reached: construction fails."""
        raise CodeExecutionError("DockerJupyterServer is not supported")

    def stop(self) -> None:
        """Nothing to stop."""

    def __repr__(self) -> str:
        return "DockerJupyterServer()"
