"""Faster grammar-constrained sampling for llama-cpp-python.

llama-cpp-python puts the grammar sampler first in its chain, so every token the grammar is
matched against the whole vocabulary (49k tokens for SmolLM2), which costs several times more
than running the 135M model itself. llama.cpp's own tools do better, and so does this module:
draw a token without the grammar and check only that one token; only when it breaks the
grammar, apply the grammar to the whole vocabulary and draw again. The distribution sampled
from is the same (the grammar-masked one); only the work differs.

This hooks llama-cpp-python's private ``Llama._init_sampler``/``sample`` protocol (checked for
0.3.x); ``make_llama_class`` falls back to the plain ``Llama`` if that protocol is missing.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np


class GrammarCheckingSampler:
    """Unconstrained draw, then a one-token grammar check, with a full-vocabulary fallback."""

    def __init__(self, llama: Any, chain: Any, grammar: Any) -> None:
        import llama_cpp
        from llama_cpp import _internals

        # The bindings are used untyped: their ctypes stubs are stricter than ctypes itself.
        lib: Any = llama_cpp
        self._lib = lib
        self._chain = chain  # the usual chain (penalties, top-k/p, temperature, draw), no grammar
        sampler_class: Any = _internals.LlamaSampler
        self._grammar: Any = sampler_class()
        self._grammar.add_grammar(llama._model, grammar)
        self._n_vocab = int(llama.n_vocab())
        self._buffer: Any = (lib.llama_token_data * self._n_vocab)()
        self._view = np.ctypeslib.as_array(self._buffer)
        self._ids = np.arange(self._n_vocab, dtype=np.int32)
        self._array: Any = lib.llama_token_data_array()
        self._one: Any = (lib.llama_token_data * 1)()
        self._one_array: Any = lib.llama_token_data_array()

    def _load_logits(self, ctx: Any, idx: int) -> None:
        logits = self._lib.llama_get_logits_ith(ctx.ctx, idx)
        self._view["id"] = self._ids
        self._view["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        self._view["p"] = 0.0
        # Samplers may move the data pointer and shrink the size: reset all fields each time.
        self._array.data = ctypes.cast(self._buffer, self._lib.llama_token_data_p)
        self._array.size = self._n_vocab
        self._array.selected = -1
        self._array.sorted = False

    def _draw(self) -> int:
        self._lib.llama_sampler_apply(self._chain.sampler, ctypes.byref(self._array))
        return int(self._array.data[self._array.selected].id)

    def _allowed(self, token: int) -> bool:
        self._one[0].id = token
        self._one[0].logit = 1.0
        self._one[0].p = 0.0
        self._one_array.data = ctypes.cast(self._one, self._lib.llama_token_data_p)
        self._one_array.size = 1
        self._one_array.selected = -1
        self._one_array.sorted = False
        self._lib.llama_sampler_apply(self._grammar.sampler, ctypes.byref(self._one_array))
        return not math.isinf(self._one[0].logit)

    def sample(self, ctx: Any, idx: int = -1) -> int:
        """Pick the next token (the method ``Llama.sample`` calls)."""
        self._load_logits(ctx, idx)
        token = self._draw()
        if not self._allowed(token):
            self._load_logits(ctx, idx)
            self._lib.llama_sampler_apply(self._grammar.sampler, ctypes.byref(self._array))
            token = self._draw()
        self._lib.llama_sampler_accept(self._grammar.sampler, token)
        self._lib.llama_sampler_accept(self._chain.sampler, token)
        return token


def make_llama_class() -> Any:
    """``llama_cpp.Llama``, subclassed to sample grammars with ``GrammarCheckingSampler``."""
    import llama_cpp

    base: Any = llama_cpp.Llama
    if not callable(getattr(base, "_init_sampler", None)):
        return base

    class Llama(base):  # type: ignore[misc]
        def _init_sampler(self, *args: Any, grammar: Any = None, **kwargs: Any) -> Any:
            chain = super()._init_sampler(*args, grammar=None, **kwargs)
            if grammar is None:
                return chain
            return GrammarCheckingSampler(self, chain, grammar)

    return Llama
