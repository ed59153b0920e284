"""The IO stream of a studio run: what its agents print goes to the run's events."""

from __future__ import annotations

from typing import Any

from convogen.errors import AllModelsFailedError, HumanInputError
from convogen.llm.errors import ModelConnectionError, ModelTimeoutError, RateLimitError, ServerError
from convogen.redaction import redact_text
from convogen.studio.events import RunContext

# Failures that may pass if the run is tried again; anything else would fail the same way.
TRANSIENT = (
    RateLimitError,
    ServerError,
    ModelTimeoutError,
    ModelConnectionError,
    TimeoutError,
    ConnectionError,
)


def retry_helps(exc: BaseException) -> bool:
    """Whether running again could succeed: the failure was the network or the provider."""
    if isinstance(exc, AllModelsFailedError):
        return bool(exc.errors) and all(retry_helps(error) for _, error in exc.errors)
    return isinstance(exc, TRANSIENT)


class RunConsole:
    """An `IOStream` that publishes printed text as ``console`` events of one run."""

    def __init__(self, context: RunContext) -> None:
        self.context = context

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Publish the text (not while the run re-executes steps it already showed)."""
        text = (sep.join(str(o) for o in objects) + end).rstrip("\n")
        if text.strip() and not self.context.replaying:
            self.context.publish({"type": "console", "text": redact_text(text)})

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Refused: a studio run asks its person through the page (the run pauses)."""
        raise HumanInputError("a studio run takes human input through the page, not a console")
