"""Classic ``autogen.io``: where human input comes from and where output goes."""

from convogen.io import base, console, websockets
from convogen.io.base import InputStream, IOStream, OutputStream
from convogen.io.console import IOConsole
from convogen.io.websockets import IOWebsockets

__all__ = [
    "IOConsole",
    "IOStream",
    "IOWebsockets",
    "InputStream",
    "OutputStream",
    "base",
    "console",
    "websockets",
]
