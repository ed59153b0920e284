"""Line-based chunking (classic AutoGen's rule): chunks of whole lines under a token budget."""

from __future__ import annotations

import logging
from collections.abc import Callable

from convogen.errors import ConfigError

CHUNK_MODES = frozenset({"one_line", "multi_lines"})
_log = logging.getLogger("convogen.apps.retrieval")


def _default_counter(text: str) -> int:
    from convogen.llm.tokens import count_token

    return count_token(text)


def split_lines(
    text: str,
    max_tokens: int = 4000,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    overlap: int = 0,
    min_length: int = 5,
    count: Callable[[str], int] = _default_counter,
) -> list[str]:
    """Split ``text`` into chunks of whole lines, each at most ``max_tokens`` tokens.

    ``multi_lines`` packs as many lines as fit (cutting before an empty line when
    ``must_break_at_empty_line``, and repeating ``overlap`` lines); ``one_line`` makes one chunk
    per line until the rest fits. A single line over the budget is cut by characters. Chunks
    shorter than ``min_length`` characters are dropped.
    """
    _check(max_tokens, chunk_mode, overlap)
    lines = text.split("\n")
    one_line = chunk_mode == "one_line"
    must_break = must_break_at_empty_line and not one_line and len(lines) >= 3
    overlap = 0 if one_line else overlap
    tokens = [count(line) for line in lines]
    chunks: list[str] = []
    start = 0
    while sum(tokens[start:]) > max_tokens:
        end = _cut(lines, tokens, start, max_tokens, one_line, must_break)
        if end > start:
            chunks.append("\n".join(lines[start:end]))
            start = max(end - overlap, start + 1)
        elif must_break:
            _log.warning(
                "no empty line to break at within %d tokens; breaking anywhere", max_tokens
            )
            must_break = False
        else:
            head, lines[start] = _split_line(lines[start], tokens[start], max_tokens, min_length)
            tokens[start] = count(lines[start])
            chunks.append(head)
    chunks.append("\n".join(lines[start:]).strip())
    return [c for c in chunks if len(c) >= min_length]


def _check(max_tokens: int, chunk_mode: str, overlap: int) -> None:
    if chunk_mode not in CHUNK_MODES:
        raise ConfigError("chunk_mode", chunk_mode, "use 'multi_lines' or 'one_line'")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        raise ConfigError("max_tokens", max_tokens, "must be a positive int")
    if isinstance(overlap, bool) or not isinstance(overlap, int) or overlap < 0:
        raise ConfigError("overlap", overlap, "must be an int >= 0 (lines repeated)")


def _cut(
    lines: list[str], tokens: list[int], start: int, budget: int, one_line: bool, must_break: bool
) -> int:
    """The end (exclusive) of the next chunk; ``start`` when no line fits."""
    if one_line:
        return start + 1 if tokens[start] <= budget else start
    end, used = start, 0
    while end < len(lines) and used + tokens[end] <= budget:
        used += tokens[end]
        end += 1
    if must_break:
        # Cut just before a blank line, so the chunk ends where a paragraph ends.
        while end > start and end < len(lines) and lines[end].strip():
            end -= 1
    return end


def _split_line(line: str, tokens: int, budget: int, min_length: int) -> tuple[str, str]:
    """A line over the budget: its head (by a character estimate) and the rest."""
    _log.warning("a line is longer than %d tokens; cutting it: %.60s ...", budget, line)
    length = max(int(len(line) * budget / max(tokens, 1) * 0.9), min_length, 1)
    return line[:length], line[length:]
