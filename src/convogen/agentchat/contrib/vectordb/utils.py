"""Classic ``autogen.agentchat.contrib.vectordb.utils``: logging and query-result helpers."""

from convogen.apps.retrieval.vector_db import (
    ColoredLogger,
    chroma_results_to_query_results,
    filter_results_by_distance,
    get_logger,
)

__all__ = [
    "ColoredLogger",
    "chroma_results_to_query_results",
    "filter_results_by_distance",
    "get_logger",
]
