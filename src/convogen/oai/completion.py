"""Classic ``autogen.oai.completion``: ``Completion`` and ``ChatCompletion`` (templates, tuning)."""

import logging

from convogen.llm.completion import ChatCompletion, Completion

ERROR: ImportError | None = None
"""0.2 kept the error of a missing ``openai<1`` here; convogen needs no old SDK."""
logger_formatter = logging.Formatter(
    "[%(name)s: %(asctime)s] {%(lineno)d} %(levelname)s - %(message)s"
)

__all__ = ["ERROR", "ChatCompletion", "Completion"]
