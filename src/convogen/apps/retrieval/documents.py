"""Classic-style document collection: files by type from paths, URLs and directories."""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from convogen.apps.retrieval.lines import split_lines
from convogen.apps.retrieval.web import download, is_url
from convogen.errors import ConfigError

_log = logging.getLogger("convogen.apps.retrieval")
FileItem = str | tuple[str, str]
"""A local path, or ``(local path, url)`` for a downloaded document."""


def find_files(
    dir_path: str | Sequence[str], types: Sequence[str], recursive: bool = True
) -> list[FileItem]:
    """The files named by ``dir_path`` (a file, URL, directory or a list of them) of ``types``.

    URLs are downloaded. A missing directory is an error; a missing list item is skipped.
    """
    if not types:
        raise ConfigError("types", types, "must name at least one file type, such as 'txt'")
    wanted = {t.lower().lstrip(".") for t in types}
    if not isinstance(dir_path, str):
        files: list[FileItem] = []
        for item in dir_path:
            if os.path.isfile(item) or is_url(item) or os.path.isdir(item):
                files.extend(find_files(item, types, recursive))
            else:
                _log.warning("%s does not exist; skipped", item)
        return files
    if os.path.isfile(dir_path):
        return [dir_path]
    if is_url(dir_path):
        saved = download(dir_path)
        return [(saved, dir_path)] if saved else []
    if not os.path.isdir(dir_path):
        raise ConfigError("dir_path", dir_path, "no such file, directory or URL")
    pattern = os.path.join(dir_path, "**", "*") if recursive else os.path.join(dir_path, "*")
    found = glob.glob(pattern, recursive=recursive)
    return sorted(f for f in found if os.path.isfile(f) and _suffix(f) in wanted)


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower().lstrip(".")


def pdf_text(path: str) -> str:
    """The text of every page of a PDF, joined."""
    from convogen.apps.retrieval.chunking import read_pdf

    text = "".join(read_pdf(Path(path)))
    if not text.strip():
        _log.warning("no text extracted from %s (scanned or encrypted?)", path)
    return text


def read_text(path: str) -> str:
    """The text of a file: PDF pages through pypdf, anything else as UTF-8."""
    if _suffix(path) == "pdf":
        return pdf_text(path)
    with open(path, encoding="utf-8", errors="ignore") as handle:
        return handle.read()


def files_to_chunks(
    files: Sequence[FileItem],
    max_tokens: int = 4000,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    split: Callable[[str], list[str]] | None = None,
    min_length: int = 5,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Chunks of every file and, for each chunk, ``{"source": <path or url>}``."""
    chunks: list[str] = []
    sources: list[dict[str, Any]] = []
    for item in files:
        path, source = (item[0], item[1]) if isinstance(item, tuple) else (item, item)
        text = read_text(path)
        if not text.strip():
            _log.warning("no text in %s; skipped", path)
            continue
        if split is not None:
            pieces = list(split(text))
        else:
            pieces = split_lines(
                text, max_tokens, chunk_mode, must_break_at_empty_line, min_length=min_length
            )
        chunks.extend(pieces)
        sources.extend({"source": source} for _ in pieces)
    return chunks, sources
