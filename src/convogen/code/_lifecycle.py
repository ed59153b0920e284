"""Context-manager support for executors that hold an external resource (kernel, container)."""

from __future__ import annotations

import weakref
from types import TracebackType
from typing import Self


class ReleasesOnClose:
    """``close()`` / ``stop()`` and ``with`` release what ``self._finalizer`` guards (once)."""

    _finalizer: weakref.finalize[..., object]

    def close(self) -> None:
        """Release the resource now (it is also released when the executor is collected)."""
        self._finalizer()

    def stop(self) -> None:
        """Classic name of ``close``."""
        self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
