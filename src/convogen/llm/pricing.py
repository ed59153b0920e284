"""Dollar prices of common models and the cost of one completion.

Prices are US dollars per 1,000 tokens (prompt, completion), from OpenAI's published price list
as checked in June 2025; Azure deployment names of the same models ("gpt-35-turbo") map to them.
They are a convenience, not a bill: override per config entry with ``price=[prompt, completion]``.
An unknown model costs ``None``, never a guessed number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

PRICES_AS_OF = "2025-06"

# Exact names first: some dated snapshots were priced differently from the alias that now
# points at a newer snapshot, so they must not fall through to the base name.
PRICE_PER_1K: dict[str, tuple[float, float]] = {
    "gpt-4.1": (0.002, 0.008),
    "gpt-4.1-mini": (0.0004, 0.0016),
    "gpt-4.1-nano": (0.0001, 0.0004),
    "gpt-4o": (0.0025, 0.01),
    "gpt-4o-2024-05-13": (0.005, 0.015),
    "chatgpt-4o-latest": (0.005, 0.015),
    "gpt-4o-mini": (0.00015, 0.0006),
    "gpt-4-turbo": (0.01, 0.03),
    "gpt-4-turbo-preview": (0.01, 0.03),
    "gpt-4-1106-preview": (0.01, 0.03),
    "gpt-4-0125-preview": (0.01, 0.03),
    "gpt-4-vision-preview": (0.01, 0.03),
    "gpt-4": (0.03, 0.06),
    "gpt-4-32k": (0.06, 0.12),
    "gpt-3.5-turbo": (0.0005, 0.0015),
    "gpt-3.5-turbo-1106": (0.001, 0.002),
    "gpt-3.5-turbo-0613": (0.0015, 0.002),
    "gpt-3.5-turbo-0301": (0.0015, 0.002),
    "gpt-3.5-turbo-16k": (0.003, 0.004),
    "gpt-3.5-turbo-16k-0613": (0.003, 0.004),
    "gpt-3.5-turbo-instruct": (0.0015, 0.002),
    "o1": (0.015, 0.06),
    "o1-preview": (0.015, 0.06),
    "o1-mini": (0.0011, 0.0044),
    "o3": (0.002, 0.008),
    "o3-mini": (0.0011, 0.0044),
    "o4-mini": (0.0011, 0.0044),
}

# "-2024-08-06" (OpenAI snapshots) or "-0613" (older four-digit snapshots).
_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")


def normalize_model_name(model: str) -> str:
    """Lower-case, drop a provider prefix ("openai/") and spell Azure's 'gpt-35' as 'gpt-3.5'."""
    name = model.strip().lower().rsplit("/", 1)[-1]
    return name.replace("gpt-35", "gpt-3.5")


@lru_cache(maxsize=1024)
def _price_keys(model: str) -> tuple[str, str]:
    """The table keys to try for ``model``: its normalised name, then that without a date."""
    name = normalize_model_name(model)
    return name, _DATE_SUFFIX.sub("", name)


def model_price(model: str) -> tuple[float, float] | None:
    """(prompt, completion) dollars per 1K tokens for ``model``, or None when unknown."""
    # The names are cached, not the prices: the table is public (classic ``OAI_PRICE1K``)
    # and may be edited at run time.
    name, base = _price_keys(model)
    if name in PRICE_PER_1K:
        return PRICE_PER_1K[name]
    return PRICE_PER_1K.get(base)


def completion_cost(
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    price: Sequence[float] | None = None,
) -> float | None:
    """Dollar cost of one completion; ``price`` (per 1K tokens) overrides the table."""
    per_1k = tuple(price) if price is not None else model_price(model)
    if per_1k is None or len(per_1k) != 2:
        return None
    return (prompt_tokens * per_1k[0] + completion_tokens * per_1k[1]) / 1000
