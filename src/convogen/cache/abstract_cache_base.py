"""The classic ``AbstractCache`` protocol: get, set, close, and use as a context manager."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class AbstractCache(Protocol):
    """What ``cache=`` accepts: a key/value store that can be closed and used with ``with``."""

    def get(self, key: str, default: Any | None = None) -> Any | None:
        """The value under ``key``, or ``default``."""
        ...

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...

    def __enter__(self) -> AbstractCache:
        """Enter a ``with`` block."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the store on leaving the ``with`` block."""
        ...


class ClosingContext:
    """Mixin (listed after the store class): ``with store:`` closes the store at the end."""

    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> ClosingContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["AbstractCache", "ClosingContext"]
