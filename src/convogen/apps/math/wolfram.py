"""Wolfram Alpha as MathChat's second tool: a small wrapper around the ``wolframalpha`` client.

The app id comes from the argument or ``WOLFRAM_ALPHA_APPID``; the ``wolframalpha`` package is
imported only when no client is given (tests pass a fake client).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar

from convogen.errors import ConfigError

APPID_ENV = "WOLFRAM_ALPHA_APPID"
NOT_ANSWERED = "Wolfram Alpha could not answer this query; try another query or use Python."
INVALID = "Wolfram Alpha did not understand the query; rephrase it or use Python."
_ATTEMPTS = 3


def get_from_dict_or_env(
    data: Mapping[str, Any], key: str, env_key: str, default: str | None = None
) -> str:
    """``data[key]`` if set, else the environment variable ``env_key``, else ``default``."""
    if data.get(key):
        return str(data[key])
    if os.environ.get(env_key):
        return os.environ[env_key]
    if default is not None:
        return default
    raise ConfigError(key, None, f"pass it, or set the environment variable {env_key}")


def wolfram_configured() -> bool:
    """Whether an app id is set in the environment."""
    return bool(os.environ.get(APPID_ENV))


class WolframAlphaAPIWrapper:
    """Runs one query on Wolfram Alpha and renders its answer as text."""

    class Config:
        """No other fields are accepted (as in 0.2)."""

        extra = "forbid"

    model_config: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    def __init__(self, wolfram_client: Any = None, wolfram_alpha_appid: str | None = None) -> None:
        values = self.validate_environment(
            {"wolfram_client": wolfram_client, "wolfram_alpha_appid": wolfram_alpha_appid}
        )
        self.wolfram_client: Any = values["wolfram_client"]
        self.wolfram_alpha_appid: str | None = values["wolfram_alpha_appid"]

    @staticmethod
    def validate_environment(values: dict[str, Any]) -> dict[str, Any]:
        """Fill in the app id and create the client (needs ``pip install wolframalpha``)."""
        if values.get("wolfram_client") is not None:
            return values
        appid = get_from_dict_or_env(values, "wolfram_alpha_appid", APPID_ENV)
        try:
            import wolframalpha  # type: ignore[import-not-found]
        except ImportError as exc:
            raise ConfigError(
                "wolframalpha", None, "is not installed: pip install wolframalpha"
            ) from exc
        return {"wolfram_alpha_appid": appid, "wolfram_client": wolframalpha.Client(appid)}

    def run(self, query: str) -> tuple[str, bool]:
        """(answer text, whether the query succeeded)."""
        result = None
        for _ in range(_ATTEMPTS):
            try:
                result = self.wolfram_client.query(query)
                break
            except OSError:  # network trouble (HTTPError is an OSError): try again
                continue
            except Exception:
                return NOT_ANSWERED, False
        if result is None:
            return NOT_ANSWERED + " (the service could not be reached)", False
        try:
            return _render(result)
        except (KeyError, TypeError, StopIteration, AttributeError):
            return NOT_ANSWERED, False


def _render(result: Any) -> tuple[str, bool]:
    if not result["@success"]:
        return INVALID, False
    pods = result["pod"]
    pods = [pods] if isinstance(pods, Mapping) else list(pods)
    interpretation = _plaintext(pods[0]) if pods else ""
    answer = ""
    for pod in pods:
        if pod["@title"] in ("Result", "Results", "Solution", "Solutions"):
            answer = _plaintext(pod)
            break
    if not answer and len(pods) > 1:
        answer = _plaintext(pods[1])
    if not answer:
        return "Wolfram Alpha found no usable result.", False
    return f"Assumption: {interpretation}\nAnswer: {answer}", True


def _plaintext(pod: Mapping[str, Any]) -> str:
    subpods = pod["subpod"]
    subpods = [subpods] if isinstance(subpods, Mapping) else list(subpods)
    texts = [str(s.get("plaintext") or "") for s in subpods]
    return "\n".join(t for t in texts if t)
