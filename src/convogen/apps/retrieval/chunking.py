"""Splitting documents into chunks: plain text, Markdown by headings, code by definitions, PDF."""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from convogen.errors import ConfigError

TEXT_SUFFIXES = frozenset({".txt", ".text", ".rst", ".log", ".csv", ".json", ".yaml", ".yml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
CODE_SUFFIXES = frozenset(
    {".py", ".js", ".ts", ".java", ".c", ".h", ".cpp", ".go", ".rs", ".rb", ".sh", ".toml"}
)
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | CODE_SUFFIXES | PDF_SUFFIXES
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


@dataclass(frozen=True)
class Chunk:
    """A piece of a document with a stable id and where it came from."""

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def count_tokens(text: str) -> int:
    """A tokenizer-free token estimate: words and punctuation marks."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def chunk_id(source: str, position: int) -> str:
    """The stable id of the chunk at ``position`` of ``source`` (same input, same id)."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:10]
    return f"{Path(source).name}-{digest}-{position}"


def split_text(text: str, chunk_token_size: int) -> list[str]:
    """Pack paragraphs (then lines, then words) into pieces of at most ``chunk_token_size``."""
    _check_size(chunk_token_size)
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if count_tokens(paragraph) <= chunk_token_size:
            pieces.append(paragraph)
        else:
            pieces.extend(_split_long(paragraph, chunk_token_size))
    return _pack(pieces, chunk_token_size, "\n\n")


def _split_long(paragraph: str, size: int) -> list[str]:
    lines = [line for line in paragraph.splitlines() if line.strip()]
    if len(lines) > 1:
        out: list[str] = []
        for line in lines:
            out.extend([line] if count_tokens(line) <= size else _split_words(line, size))
        return _pack(out, size, "\n")
    return _split_words(paragraph, size)


def _split_words(text: str, size: int) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for word in text.split():
        cost = count_tokens(word)
        if current and used + cost > size:
            pieces.append(" ".join(current))
            current, used = [], 0
        current.append(word)
        used += cost
    if current:
        pieces.append(" ".join(current))
    return pieces


def _pack(pieces: Sequence[str], size: int, joiner: str) -> list[str]:
    """Greedily join consecutive pieces while the result stays within ``size`` tokens."""
    packed: list[str] = []
    current: list[str] = []
    used = 0
    for piece in pieces:
        cost = count_tokens(piece)
        if current and used + cost > size:
            packed.append(joiner.join(current))
            current, used = [], 0
        current.append(piece)
        used += cost
    if current:
        packed.append(joiner.join(current))
    return packed


def split_markdown(text: str, chunk_token_size: int) -> list[str]:
    """One piece per heading section (heading kept), long sections split as plain text."""
    _check_size(chunk_token_size)
    sections: list[list[str]] = [[]]
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        # A '#' line inside a fenced block is code (a comment), not a heading. A heading
        # with no text under it yet (a title) stays with the next section.
        has_body = any(s.strip() and not _HEADING.match(s) for s in sections[-1])
        if not in_fence and _HEADING.match(line) and has_body:
            sections.append([])
        sections[-1].append(line)
    pieces: list[str] = []
    for lines in sections:
        section = "\n".join(lines).strip()
        if not section:
            continue
        if count_tokens(section) <= chunk_token_size:
            pieces.append(section)
            continue
        heading = lines[0] if _HEADING.match(lines[0]) else ""
        body = "\n".join(lines[1:]) if heading else section
        for part in split_text(body, chunk_token_size):
            # Repeat the heading so every piece says what it is about.
            pieces.append(f"{heading}\n{part}" if heading else part)
    return pieces


def split_code(text: str, chunk_token_size: int, language: str = "python") -> list[str]:
    """Python: one piece per top-level def/class (plus the module's other code); else lines."""
    _check_size(chunk_token_size)
    if language != "python":
        return _pack([ln for ln in text.splitlines() if ln.strip()], chunk_token_size, "\n")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return _pack([ln for ln in text.splitlines() if ln.strip()], chunk_token_size, "\n")
    lines = text.splitlines()
    pieces: list[str] = []
    loose: list[str] = []
    taken: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            end = node.end_lineno or node.lineno
            taken.update(range(start, end))
            block = "\n".join(lines[start:end])
            if count_tokens(block) <= chunk_token_size:
                pieces.append(block)
            else:
                pieces.extend(_pack(lines[start:end], chunk_token_size, "\n"))
    loose = [line for i, line in enumerate(lines) if i not in taken and line.strip()]
    # Imports and module-level statements form their own leading piece(s).
    return _pack(loose, chunk_token_size, "\n") + pieces


def read_pdf(path: Path) -> list[str]:
    """The text of each page of a PDF (pypdf)."""
    try:
        from pypdf import PdfReader
    except ImportError as exc:
        raise ConfigError("docs_path", str(path), "reading PDF needs `pip install pypdf`") from exc
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def chunk_file(path: str | Path, chunk_token_size: int = 192) -> list[Chunk]:
    """Chunks of one file, split by its suffix; ids derive from the path and position only."""
    path = Path(path)
    suffix = path.suffix.lower()
    source = str(path.resolve())
    texts: list[tuple[str, dict[str, Any]]] = []
    if suffix in PDF_SUFFIXES:
        for page_no, page in enumerate(read_pdf(path), start=1):
            texts.extend((t, {"page": page_no}) for t in split_text(page, chunk_token_size))
        kind = "pdf"
    else:
        content = path.read_text(encoding="utf-8", errors="replace")
        if suffix in MARKDOWN_SUFFIXES:
            kind, parts = "markdown", split_markdown(content, chunk_token_size)
        elif suffix in CODE_SUFFIXES:
            language = "python" if suffix == ".py" else suffix.lstrip(".")
            kind, parts = "code", split_code(content, chunk_token_size, language)
        else:
            kind, parts = "text", split_text(content, chunk_token_size)
        texts = [(t, {}) for t in parts]
    return [
        Chunk(
            id=chunk_id(source, position),
            text=text,
            metadata={"source": source, "position": position, "kind": kind, **extra},
        )
        for position, (text, extra) in enumerate(texts)
    ]


def collect_files(docs_path: str | Path | Iterable[str | Path]) -> list[Path]:
    """The supported files named by ``docs_path`` (files, directories searched recursively)."""
    items = [docs_path] if isinstance(docs_path, str | Path) else list(docs_path)
    files: list[Path] = []
    for item in items:
        text = str(item)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
            raise ConfigError(
                "docs_path",
                text,
                "URLs are not supported (convogen retrieval works offline); download the "
                "document and pass its local path",
            )
        path = Path(text)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and _supported(p))
        elif path.is_file():
            if not _supported(path):
                raise ConfigError(
                    "docs_path",
                    text,
                    f"unsupported file type {path.suffix!r}; use one of "
                    + ", ".join(sorted(SUPPORTED_SUFFIXES)),
                )
            files.append(path)
        else:
            raise ConfigError("docs_path", text, "no such file or directory")
    return files


def chunk_documents(
    docs_path: str | Path | Iterable[str | Path], chunk_token_size: int
) -> list[Chunk]:
    """Chunks of every supported file under ``docs_path``."""
    return [c for f in collect_files(docs_path) for c in chunk_file(f, chunk_token_size)]


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _check_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 8:
        raise ConfigError("chunk_token_size", size, "must be an int >= 8")
