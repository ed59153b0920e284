"""Classic ``autogen.coding.jupyter``: code execution in Jupyter kernels."""

from convogen.coding.jupyter import (
    base,
    docker_jupyter_server,
    embedded_ipython_code_executor,
    jupyter_client,
    jupyter_code_executor,
    local_jupyter_server,
)
from convogen.coding.jupyter.base import JupyterConnectable, JupyterConnectionInfo
from convogen.coding.jupyter.docker_jupyter_server import DockerJupyterServer
from convogen.coding.jupyter.embedded_ipython_code_executor import EmbeddedIPythonCodeExecutor
from convogen.coding.jupyter.jupyter_client import JupyterClient
from convogen.coding.jupyter.jupyter_code_executor import JupyterCodeExecutor
from convogen.coding.jupyter.local_jupyter_server import LocalJupyterServer

__all__ = [
    "DockerJupyterServer",
    "EmbeddedIPythonCodeExecutor",
    "JupyterClient",
    "JupyterCodeExecutor",
    "JupyterConnectable",
    "JupyterConnectionInfo",
    "LocalJupyterServer",
    "base",
    "docker_jupyter_server",
    "embedded_ipython_code_executor",
    "jupyter_client",
    "jupyter_code_executor",
    "local_jupyter_server",
]
