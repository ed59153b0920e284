"""Classic ``autogen.retrieve_utils``: chunk documents and build or query a ChromaDB collection.

Thin adapters over ``convogen.apps.retrieval`` (line chunking, document collection, web pages,
chroma collections). Embeddings default to the packaged all-MiniLM-L6-v2 (NumPy): no model is
ever downloaded. ChromaDB is the ``rag`` extra, imported only when a collection is used.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from typing import Any

from convogen.apps.retrieval.chroma_db import (
    chroma_client,
    embedding_function_or_default,
    fill_collection,
    query_collection,
)
from convogen.apps.retrieval.documents import FileItem, files_to_chunks, find_files, pdf_text
from convogen.apps.retrieval.lines import CHUNK_MODES, split_lines
from convogen.apps.retrieval.web import download, html_to_markdown
from convogen.apps.retrieval.web import is_url as _is_url

__all__ = [
    "HAS_UNSTRUCTURED",
    "RAG_MINIMUM_MESSAGE_LENGTH",
    "TEXT_FORMATS",
    "UNSTRUCTURED_FORMATS",
    "VALID_CHUNK_MODES",
    "create_vector_db_from_dir",
    "extract_text_from_pdf",
    "get_file_from_url",
    "get_files_from_dir",
    "is_url",
    "parse_html_to_markdown",
    "query_vector_db",
    "split_files_to_chunks",
    "split_text_to_chunks",
]

TEXT_FORMATS = [
    "txt", "json", "csv", "tsv", "md", "html", "htm", "rtf", "rst", "jsonl", "log", "xml",
    "yaml", "yml", "pdf",
]  # fmt: skip
UNSTRUCTURED_FORMATS = [
    "doc", "docx", "epub", "msg", "odt", "org", "pdf", "ppt", "pptx", "rtf", "rst", "xlsx",
]  # fmt: skip
"""Formats 0.2 parses with the ``unstructured`` package; convogen does not use it."""
HAS_UNSTRUCTURED = importlib.util.find_spec("unstructured") is not None
"""Whether ``unstructured`` is installed (informational: convogen reads text and PDF itself)."""
VALID_CHUNK_MODES = CHUNK_MODES
RAG_MINIMUM_MESSAGE_LENGTH = int(os.environ.get("RAG_MINIMUM_MESSAGE_LENGTH", 5))
"""Chunks shorter than this many characters are dropped."""


def split_text_to_chunks(
    text: str,
    max_tokens: int = 4000,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    overlap: int = 0,
) -> list[str]:
    """Split ``text`` into chunks of whole lines of at most ``max_tokens`` tokens."""
    return split_lines(
        text, max_tokens, chunk_mode, must_break_at_empty_line, overlap, RAG_MINIMUM_MESSAGE_LENGTH
    )


def extract_text_from_pdf(file: str) -> str:
    """The text of a PDF file (all pages)."""
    return pdf_text(file)


def split_files_to_chunks(
    files: list[FileItem],
    max_tokens: int = 4000,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    custom_text_split_function: Callable[[str], list[str]] | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Chunks of ``files`` and, for each, ``{"source": <path or url>}``."""
    return files_to_chunks(
        files,
        max_tokens,
        chunk_mode,
        must_break_at_empty_line,
        custom_text_split_function,
        RAG_MINIMUM_MESSAGE_LENGTH,
    )


def get_files_from_dir(
    dir_path: str | list[str], types: list[str] = TEXT_FORMATS, recursive: bool = True
) -> list[FileItem]:
    """Files of ``types`` in a directory, a file, a URL (downloaded) or a list of them."""
    return find_files(dir_path, types, recursive)


def parse_html_to_markdown(html: str, url: str | None = None) -> str:
    """An HTML page as Markdown headed by its title (``url`` is accepted for 0.2 and unused)."""
    return html_to_markdown(html)


def get_file_from_url(url: str, save_path: str | None = None) -> tuple[str, str] | None:
    """Download ``url`` (HTML saved as Markdown); ``(saved path, url)``, or None on failure."""
    saved = download(url, save_path)
    return None if saved is None else (saved, url)


def is_url(string: str) -> bool:
    """True when ``string`` is a URL with a scheme and a host."""
    return _is_url(string)


def create_vector_db_from_dir(
    dir_path: str | list[str],
    max_tokens: int = 4000,
    client: Any = None,
    db_path: str = "tmp/chromadb.db",
    collection_name: str = "all-my-documents",
    get_or_create: bool = False,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    embedding_model: str = "all-MiniLM-L6-v2",
    embedding_function: Callable[[list[str]], Any] | None = None,
    custom_text_split_function: Callable[[str], list[str]] | None = None,
    custom_text_types: list[str] = TEXT_FORMATS,
    recursive: bool = True,
    extra_docs: bool = False,
) -> Any:
    """Chunk the documents under ``dir_path`` into a chroma collection; returns the client."""
    embed = embedding_function_or_default(embedding_function, embedding_model)
    client = client if client is not None else chroma_client(db_path)
    files = find_files(dir_path, custom_text_types, recursive)
    chunks, sources = split_files_to_chunks(
        files, max_tokens, chunk_mode, must_break_at_empty_line, custom_text_split_function
    )
    fill_collection(client, collection_name, chunks, sources, embed, get_or_create, extra_docs)
    return client


def query_vector_db(
    query_texts: list[str],
    n_results: int = 10,
    client: Any = None,
    db_path: str = "tmp/chromadb.db",
    collection_name: str = "all-my-documents",
    search_string: str = "",
    embedding_model: str = "all-MiniLM-L6-v2",
    embedding_function: Callable[[list[str]], Any] | None = None,
) -> Any:
    """The ``n_results`` nearest chunks per query text (chroma's QueryResult dict)."""
    embed = embedding_function_or_default(embedding_function, embedding_model)
    client = client if client is not None else chroma_client(db_path)
    return query_collection(client, collection_name, query_texts, n_results, embed, search_string)
