"""Classic ``autogen.oai.client``: ``OpenAIWrapper``, the ``ModelClient`` protocol, constants."""

from __future__ import annotations

import logging
from typing import Any

from convogen.llm.classic_client import ClassicModelClient as ModelClient
from convogen.llm.pricing import PRICE_PER_1K, completion_cost
from convogen.llm.wrapper import OpenAIWrapper

logger = logging.getLogger(__name__)
logger_formatter = logging.Formatter(
    "[%(name)s: %(asctime)s] {%(lineno)d} %(levelname)s - %(message)s"
)

ERROR: ImportError | None = None
"""0.2 kept the import error of ``openai`` here; convogen imports it only when needed."""
TOOL_ENABLED = True
LEGACY_DEFAULT_CACHE_SEED = 41
LEGACY_CACHE_DIR = ".cache"
OPEN_API_BASE_URL_PREFIX = "https://api.openai.com"
OAI_PRICE1K: dict[str, tuple[float, float]] = PRICE_PER_1K
OPENAIVERSION = "1"
# Other providers are reached through OpenAI-compatible endpoints or custom clients: nothing of
# theirs is imported, so there is no import error to report.
gemini_import_exception: ImportError | None = None
anthropic_import_exception: ImportError | None = None
mistral_import_exception: ImportError | None = None
together_import_exception: ImportError | None = None
groq_import_exception: ImportError | None = None
cohere_import_exception: ImportError | None = None


class PlaceHolderClient:
    """Stands for a config entry whose ``model_client_cls`` is not registered yet."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config


class OpenAIClient:
    """The classic client protocol over a synchronous ``openai.OpenAI`` client."""

    def __init__(self, client: Any) -> None:
        self._oai_client = client

    def create(self, params: dict[str, Any]) -> Any:
        """Chat completion for ``messages``, legacy completion for ``prompt``."""
        sdk = self._oai_client
        endpoint = sdk.chat.completions if "messages" in params else sdk.completions
        return endpoint.create(**params)

    def message_retrieval(self, response: Any) -> list[Any]:
        """Text of legacy completions; the message (or its text) of chat completions."""
        out: list[Any] = []
        for choice in response.choices:
            if hasattr(choice, "text") and not hasattr(choice, "message"):
                out.append(choice.text)
            elif choice.message.tool_calls or getattr(choice.message, "function_call", None):
                out.append(choice.message)
            else:
                out.append(choice.message.content)
        return out

    def cost(self, response: Any) -> float:
        """Dollar cost from the built-in price list (0.0 for unknown models)."""
        usage = response.usage
        if usage is None:
            return 0.0
        price = completion_cost(response.model, usage.prompt_tokens, usage.completion_tokens)
        return price or 0.0

    @staticmethod
    def get_usage(response: Any) -> dict[str, Any]:
        """Token counts, cost and model of ``response``."""
        usage = response.usage
        return {
            "prompt_tokens": usage.prompt_tokens if usage else 0,
            "completion_tokens": usage.completion_tokens if usage else 0,
            "total_tokens": usage.total_tokens if usage else 0,
            "cost": getattr(response, "cost", 0),
            "model": response.model,
        }


__all__ = [
    "ERROR",
    "LEGACY_CACHE_DIR",
    "LEGACY_DEFAULT_CACHE_SEED",
    "OAI_PRICE1K",
    "ModelClient",
    "OpenAIClient",
    "OpenAIWrapper",
    "PlaceHolderClient",
]
