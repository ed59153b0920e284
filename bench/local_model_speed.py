"""Speed of the embedded model through convogen's client vs llama.cpp called directly.

Run: ``python bench/local_model_speed.py [--reps 5] [--max-tokens 64]``. The direct path is a
plain ``llama_cpp.Llama`` loaded with the same file and settings; both paths get the same
prompts, seeds and sampling settings. Reported: load times, tokens/second of plain chat
completions (target: convogen at least 98% of direct) and of schema-constrained completions
(same grammar; convogen checks the grammar per drawn token instead of per vocabulary entry).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from convogen.llm.local import LocalModelClient
from convogen.llm.local.client import DEFAULT_TEMPERATURE
from convogen.llm.local.grammars import schema_grammar
from convogen.llm.protocol import ModelRequest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import Figure, Target, show

TARGET = Target(">=", 98)
"""Issue 18: convogen's tokens/s at least 98% of llama.cpp's own."""

SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "year": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 3},
    },
    "required": ["title", "year", "tags"],
}

PROMPTS = [
    "Write a short poem about the sea.",
    "Explain what a hash table is.",
    "List three fruits and their colours.",
]


class Paths:
    """The two ways of running a prompt: plain llama-cpp-python, and convogen's client."""

    def __init__(self, threads: int | None) -> None:
        import llama_cpp

        self.client = LocalModelClient({"n_threads": threads})
        engine = self.client.engine
        self.load_convogen = engine.load_seconds
        started = time.perf_counter()
        self.llama: Any = llama_cpp.Llama(
            model_path=str(engine.settings.model_path),
            n_ctx=engine.settings.n_ctx,
            n_threads=engine.llama.context_params.n_threads,
            n_threads_batch=engine.llama.context_params.n_threads_batch,
            verbose=False,
        )
        self.load_direct = time.perf_counter() - started
        self.grammar = schema_grammar(SCHEMA)

    def direct(self, prompt: str, seed: int, max_tokens: int | None, constrained: bool) -> int:
        from llama_cpp import llama_grammar

        kwargs: dict[str, Any] = {}
        if constrained:
            kwargs["grammar"] = llama_grammar.LlamaGrammar.from_string(self.grammar, verbose=False)
        result = self.llama.create_chat_completion(
            messages=[{"role": "user", "content": prompt}],
            temperature=DEFAULT_TEMPERATURE,
            max_tokens=max_tokens,
            seed=seed,
            **kwargs,
        )
        return int(result["usage"]["completion_tokens"])

    def convogen(self, prompt: str, seed: int, max_tokens: int | None, constrained: bool) -> int:
        params: dict[str, Any] = {"max_tokens": max_tokens, "seed": seed}
        if constrained:
            params["response_format"] = {"type": "json_schema", "json_schema": {"schema": SCHEMA}}
        request = ModelRequest(messages=[{"role": "user", "content": prompt}], params=params)
        response = asyncio.run(self.client.create(request))
        return response.usage.completion_tokens


Runner = Callable[[str, int, "int | None", bool], int]


def _measure(run: Runner, rep: int, max_tokens: int | None, constrained: bool) -> float:
    """Tokens/second over all prompts, once."""
    tokens = 0
    started = time.perf_counter()
    for index, prompt in enumerate(PROMPTS):
        tokens += run(prompt, 100 * rep + index, max_tokens, constrained)
    return tokens / (time.perf_counter() - started)


def compare(paths: Paths, reps: int, max_tokens: int | None, constrained: bool) -> list[float]:
    """Tokens/s of the direct path and of convogen, interleaved so drift hits both alike."""
    direct: list[float] = []
    ours: list[float] = []
    for rep in range(reps):
        direct.append(_measure(paths.direct, rep + 1, max_tokens, constrained))
        ours.append(_measure(paths.convogen, rep + 1, max_tokens, constrained))
    return direct + ours


def main() -> None:
    """Print load time, tokens/second of both paths and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--constrained-reps", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="default: half the cores")
    args = parser.parse_args()
    console = Console()

    paths = Paths(args.threads)
    engine = paths.client.engine
    console.print(
        f"model {engine.settings.model_path.name}: load {paths.load_convogen:.3f}s (convogen), "
        f"{paths.load_direct:.3f}s (direct); n_ctx={engine.n_ctx}, "
        f"threads={engine.llama.context_params.n_threads}; load average {os.getloadavg()[0]:.2f}"
    )
    _measure(paths.direct, 0, 8, False)  # warm-up: caches, thread pools, page faults
    _measure(paths.convogen, 0, 8, False)
    figures: list[Figure] = []
    for workload, reps, max_tokens, constrained in (
        (f"plain, max_tokens={args.max_tokens}", args.reps, args.max_tokens, False),
        ("JSON schema (grammar)", args.constrained_reps, None, True),
    ):
        if reps < 1:
            continue
        rates = compare(paths, reps, max_tokens, constrained)
        direct = Figure(f"{workload}, llama_cpp direct", "tokens/s", rates[:reps])
        ours = Figure(f"{workload}, convogen", "tokens/s", rates[reps:])
        ratio = [a / b * 100 for a, b in zip(ours.samples, direct.samples, strict=True)]
        # The target is for plain completions; the grammar ratio is shown for information.
        target = None if constrained else TARGET
        figures += [direct, ours, Figure(f"{workload}, convogen / direct", "%", ratio, target)]
    show(f"tokens/second, {len(PROMPTS)} prompts per repetition", figures)
    console.print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
