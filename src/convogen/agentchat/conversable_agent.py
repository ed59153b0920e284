"""Classic ``autogen.agentchat.conversable_agent``."""

from collections.abc import Callable
from typing import Any, TypeVar

from convogen.agents.conversable import ConversableAgent
from convogen.agents.registration import register_function
from convogen.code.extract import UNKNOWN
from convogen.code.local_files import PYTHON_VARIANTS as _PYTHON_VARIANTS

F = TypeVar("F", bound=Callable[..., Any])
PYTHON_VARIANTS = list(_PYTHON_VARIANTS)

__all__ = ["PYTHON_VARIANTS", "UNKNOWN", "ConversableAgent", "F", "register_function"]
