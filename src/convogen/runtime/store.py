"""Results stores: each finished job is written as it completes, so a batch can be resumed."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from convogen.errors import ConfigError
from convogen.runtime.jobs import JobResult

RESULTS_FILE = "results.jsonl"


@runtime_checkable
class ResultStore(Protocol):
    """Where a runtime checkpoints finished jobs."""

    def load(self) -> dict[str, JobResult]:
        """Every stored result by job id (the latest one wins)."""
        ...

    def append(self, result: JobResult) -> None:
        """Persist one finished job before the batch moves on."""
        ...


class JsonlResultStore:
    """A JSON-lines file, one result per line, appended and fsynced as each job finishes.

    Appending (rather than rewriting) keeps each checkpoint O(1) and crash-safe: a process
    killed mid-write leaves at most one torn last line, which ``load`` skips.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ConfigError("store path", str(self.path), "is a directory; name a file")
        self._lock = threading.Lock()

    @classmethod
    def in_dir(cls, checkpoint_dir: str | Path) -> JsonlResultStore:
        """The store ``results.jsonl`` inside ``checkpoint_dir`` (created if missing)."""
        directory = Path(checkpoint_dir)
        if directory.exists() and not directory.is_dir():
            raise ConfigError("checkpoint_dir", str(directory), "exists and is not a directory")
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory / RESULTS_FILE)

    def load(self) -> dict[str, JobResult]:
        """Every stored result by job id; torn or foreign lines are skipped."""
        results: dict[str, JobResult] = {}
        if not self.path.exists():
            return results
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    result = JobResult.from_dict(json.loads(line))
                except (json.JSONDecodeError, ConfigError, TypeError, AttributeError):
                    continue
                results[result.id] = result
        return results

    def append(self, result: JobResult) -> None:
        """Write ``result`` as one line and fsync it."""
        self.extend([result])

    def extend(self, results: Sequence[JobResult]) -> None:
        """Write ``results`` one per line with a single fsync (a chunk of a batch)."""
        if not results:
            return
        text = "".join(
            json.dumps(result.to_dict(), default=str, ensure_ascii=False) + "\n"
            for result in results
        )
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a+b") as handle:
                # A torn last line (a crash mid-write) must not swallow the next record.
                handle.seek(0, os.SEEK_END)
                if handle.tell() > 0:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        handle.write(b"\n")
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())


def resolve_store(
    checkpoint_dir: str | Path | None, store: ResultStore | None
) -> ResultStore | None:
    """The store a runtime should use, from its ``checkpoint_dir`` or ``store`` argument."""
    if checkpoint_dir is not None and store is not None:
        raise ConfigError("store", store, "give checkpoint_dir or store, not both")
    if store is not None:
        if not isinstance(store, ResultStore):
            raise ConfigError("store", store, "must have load() and append(result)")
        return store
    return None if checkpoint_dir is None else JsonlResultStore.in_dir(checkpoint_dir)


def checkpoint(store: ResultStore, results: Sequence[JobResult]) -> None:
    """Persist ``results`` in ``store``: in one write where the store can, else one by one."""
    if isinstance(store, JsonlResultStore):
        store.extend(results)
        return
    for result in results:
        store.append(result)
