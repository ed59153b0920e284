"""Chunking: plain text, Markdown by heading, code by definition, PDF pages; stable ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from convogen.apps.retrieval import (
    chunk_documents,
    chunk_file,
    chunk_id,
    collect_files,
    count_tokens,
    split_code,
    split_markdown,
    split_text,
)
from convogen.errors import ConfigError


def test_plain_text_pieces_respect_the_token_budget() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(6))
    pieces = split_text(text, 50)
    assert len(pieces) == 6
    assert all(count_tokens(p) <= 50 for p in pieces)
    long_line = "alpha " * 200
    assert all(count_tokens(p) <= 40 for p in split_text(long_line, 40))
    assert " ".join(split_text(long_line, 40)).split() == long_line.split()


def test_small_paragraphs_are_packed_together() -> None:
    assert split_text("one two\n\nthree four\n\nfive", 100) == ["one two\n\nthree four\n\nfive"]


def test_markdown_is_split_at_headings_not_inside_code_fences() -> None:
    doc = (
        "# Title\n# Intro\nHello.\n\n## Install\nRun it.\n```sh\n# not a heading\n```\n"
        "## Use\nCall it."
    )
    pieces = split_markdown(doc, 100)
    assert [p.splitlines()[0] for p in pieces] == ["# Title", "## Install", "## Use"]
    assert pieces[0] == "# Title\n# Intro\nHello."  # a bare title joins the next section
    assert "# not a heading" in pieces[1]


def test_long_markdown_sections_repeat_their_heading() -> None:
    doc = "## Big\n" + "\n\n".join("sentence " * 20 for _ in range(4))
    pieces = split_markdown(doc, 30)
    assert len(pieces) == 4 and all(p.startswith("## Big\n") for p in pieces)


def test_python_is_split_by_top_level_definitions() -> None:
    code = (
        "import math\n\n\n@decorate\ndef area(r):\n    return math.pi * r * r\n\n\n"
        "class Shape:\n    def size(self):\n        return 1\n\nVALUE = 3\n"
    )
    pieces = split_code(code, 200)
    assert pieces[0] == "import math\nVALUE = 3"
    assert pieces[1].startswith("@decorate\ndef area(r):")
    assert pieces[2].startswith("class Shape:") and "def size" in pieces[2]


def test_other_code_is_split_by_lines() -> None:
    code = "\n".join(f"let x{i} = {i};" for i in range(40))
    pieces = split_code(code, 30, language="js")
    assert len(pieces) > 1 and all(count_tokens(p) <= 30 for p in pieces)


def test_chunk_ids_are_stable_and_metadata_names_source_and_position(tmp_path: Path) -> None:
    doc = tmp_path / "guide.md"
    doc.write_text("# A\nfirst\n# B\nsecond\n")
    first, again = chunk_file(doc, 64), chunk_file(doc, 64)
    assert [c.id for c in first] == [c.id for c in again]
    assert [c.id for c in first] == [chunk_id(str(doc.resolve()), i) for i in range(2)]
    assert first[1].metadata == {"source": str(doc.resolve()), "position": 1, "kind": "markdown"}
    other = tmp_path / "sub"
    other.mkdir()
    (other / "guide.md").write_text("# A\nfirst\n")
    assert chunk_file(other / "guide.md", 64)[0].id != first[0].id  # same name, other file


def test_pdf_pages_are_read_with_page_numbers(
    tmp_path: Path, pdf_maker: Callable[[Path, list[str]], Path]
) -> None:
    pdf = pdf_maker(tmp_path / "report.pdf", ["Quarterly revenue grew.", "Costs fell sharply."])
    chunks = chunk_file(pdf, 64)
    assert [c.metadata["page"] for c in chunks] == [1, 2]
    assert "revenue" in chunks[0].text and "Costs" in chunks[1].text
    assert chunks[0].metadata["kind"] == "pdf"


def test_directories_are_searched_and_unsupported_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("alpha")
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "b.py").write_text("def f():\n    return 1\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert [p.name for p in collect_files(tmp_path)] == ["a.txt", "b.py"]
    assert len(chunk_documents([tmp_path / "a.txt", tmp_path / "deep"], 64)) == 2


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("https://example.com/doc.md", "URLs are not supported"),
        ("/no/such/place.md", "no such file"),
    ],
)
def test_bad_docs_paths_are_clear_errors(path: str, problem: str) -> None:
    with pytest.raises(ConfigError, match="docs_path") as caught:
        collect_files(path)
    assert problem in str(caught.value)


def test_an_unsupported_file_named_directly_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(b"")
    with pytest.raises(ConfigError, match="unsupported file type"):
        collect_files(tmp_path / "x.png")
    with pytest.raises(ConfigError, match="chunk_token_size"):
        split_text("x", 2)
