"""Classic ``autogen.token_count_utils``: token counts and context windows of OpenAI models."""

from convogen.llm.tokens import (
    count_token,
    get_max_token_limit,
    num_tokens_from_functions,
    percentile_used,
    token_left,
)

__all__ = [
    "count_token",
    "get_max_token_limit",
    "num_tokens_from_functions",
    "percentile_used",
    "token_left",
]
