"""Request preparation: what one ``create`` call asks, before any config entry is tried."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from convogen.errors import ConfigError
from convogen.messages import Message

# filter_func(context=..., response=...) -> False rejects a reply and tries the next config.
FilterFunc = Callable[..., bool]


@dataclass(slots=True)
class PreparedCall:
    """Messages and params of one call, with the cache, filter and parse target it uses."""

    messages: list[Message]
    params: dict[str, Any]
    cache: Any  # any object with get/set; None when caching is off
    key_seed: int | str | None
    filter_func: FilterFunc | None
    model_cls: Any  # the pydantic class of a structured response_format, else None
    context: dict[str, Any] | None


def check_cache_seed(value: object) -> int | str | None:
    """``value`` when it is a valid ``cache_seed`` (an int, a str or None); else ``ConfigError``."""
    if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return value
    raise ConfigError("cache_seed", value, "must be an int (or None to disable caching)")


def prepare_call(
    messages: list[Message],
    params: dict[str, Any],
    cache: Any,
    filter_func: FilterFunc | None,
    context: dict[str, Any] | None,
) -> PreparedCall:
    """The call's request: ``params`` lose the keys that are not part of it (``agent``)."""
    # 0.2 passes the calling agent along for its logs; it is not part of the request.
    params.pop("agent", None)
    return PreparedCall(
        messages=messages,
        params=params,
        cache=cache,
        # Any object with get/set works as a cache; its seed (if it has one) joins the key.
        key_seed=None if cache is None else getattr(cache, "cache_seed", None),
        filter_func=filter_func,
        model_cls=(
            _structured_format(params) if isinstance(params.get("response_format"), type) else None
        ),
        context=context,
    )


def _structured_format(params: dict[str, Any]) -> Any:
    """A pydantic ``response_format`` class becomes its JSON schema; return the class (or None)."""
    response_format = params["response_format"]
    from convogen.llm.structured import is_model_class, response_format_for  # pydantic: lazy

    if not is_model_class(response_format):
        return None
    params["response_format"] = response_format_for(response_format)
    return response_format
