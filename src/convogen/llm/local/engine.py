"""One loaded llama.cpp model per process and settings, shared by every client that uses it."""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.local.model_file import require_llama_cpp, resolve_model_path

DEFAULT_N_CTX = 2048


def default_threads() -> int:
    """Half the cores (at least one), as llama-cpp-python does.

    More threads gain little for a 135M model, and llama.cpp's OpenMP threads spin at barriers:
    when other processes compete for the cores, using all of them was measured 30x slower
    (2 threads: ~1 token/s vs 1 thread: ~50 tokens/s on a busy 2-core machine).
    """
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class ModelSettings:
    """What identifies a loaded model: the file and the settings it was loaded with."""

    model_path: Path
    n_ctx: int = DEFAULT_N_CTX
    n_threads: int | None = None

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> ModelSettings:
        """Settings from a config entry's ``model_path``, ``n_ctx`` and ``n_threads``."""
        n_ctx = entry.get("n_ctx", DEFAULT_N_CTX)
        if not isinstance(n_ctx, int) or isinstance(n_ctx, bool) or n_ctx < 64:
            raise ConfigError("n_ctx", n_ctx, "must be an int >= 64 (context size in tokens)")
        n_threads = entry.get("n_threads")
        if n_threads is not None and (
            not isinstance(n_threads, int) or isinstance(n_threads, bool) or n_threads < 1
        ):
            raise ConfigError(
                "n_threads", n_threads, "must be a positive int or None (half the cores)"
            )
        path = resolve_model_path(entry.get("model_path")).resolve()
        return cls(model_path=path, n_ctx=n_ctx, n_threads=n_threads)


class LocalModel:
    """A loaded ``llama_cpp.Llama`` plus the lock that serializes calls into it.

    llama.cpp contexts are not re-entrant: every call into ``llama`` must hold ``lock``.
    """

    def __init__(self, settings: ModelSettings) -> None:
        require_llama_cpp()
        from convogen.llm.local.sampling import make_llama_class

        llama_class = make_llama_class()
        threads = settings.n_threads or default_threads()
        started = time.perf_counter()
        kwargs: dict[str, Any] = {
            "model_path": str(settings.model_path),
            "n_ctx": settings.n_ctx,
            "n_threads": threads,
            "n_threads_batch": threads,
            "verbose": False,
        }
        try:
            self.llama: Any = llama_class(**kwargs)
        except ValueError as exc:
            raise ConfigError(
                "model_path", str(settings.model_path), f"llama.cpp cannot load it: {exc}"
            ) from exc
        self.load_seconds = time.perf_counter() - started
        self.settings = settings
        self.lock = threading.Lock()

    @property
    def n_ctx(self) -> int:
        """The context size in tokens."""
        return int(self.llama.n_ctx())

    @property
    def trained_context(self) -> int | None:
        """The context length the model was trained for (GGUF ``<arch>.context_length``)."""
        metadata: dict[str, str] = dict(self.llama.metadata or {})
        value = metadata.get(f"{metadata.get('general.architecture', 'llama')}.context_length")
        return int(value) if value is not None and value.isdigit() else None

    def count_tokens(self, text: str) -> int:
        """How many tokens ``text`` takes (without a BOS token)."""
        with self.lock:
            return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def chat(self, **kwargs: Any) -> dict[str, Any]:
        """``Llama.create_chat_completion`` (non-streaming) under the model lock."""
        with self.lock:
            result: dict[str, Any] = self.llama.create_chat_completion(stream=False, **kwargs)
            return result

    def chat_stream(self, context: dict[str, int], **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Streamed ``create_chat_completion`` chunks; the lock is held until the stream ends.

        ``context["n_tokens"]`` receives the number of tokens in the context after the stream
        (streamed chunks carry no usage, and this is read before another call can change it).
        """
        with self.lock:
            yield from self.llama.create_chat_completion(stream=True, **kwargs)
            context["n_tokens"] = int(self.llama.n_tokens)


_models: dict[ModelSettings, LocalModel] = {}
_models_lock = threading.Lock()


def get_local_model(settings: ModelSettings) -> LocalModel:
    """The process-wide model for ``settings``, loaded on first use."""
    with _models_lock:
        model = _models.get(settings)
        if model is None:
            model = LocalModel(settings)
            _models[settings] = model
        return model


def close_all() -> None:
    """Free every loaded model (runs at exit, before the interpreter tears modules down)."""
    with _models_lock:
        models = list(_models.values())
        _models.clear()
    for model in models:
        with model.lock:
            model.llama.close()


# Without this, llama-cpp-python's finalizers run during interpreter teardown, after the
# ctypes bindings they call are gone, and print "Exception ignored in Llama.__del__".
atexit.register(close_all)
