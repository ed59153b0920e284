"""Classic ``retrieve_utils``: line chunking, file collection, HTML, and a ChromaDB round trip."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from convogen import retrieve_utils as ru
from convogen.errors import ConfigError

PARAGRAPHS = "\n\n".join(
    f"Paragraph {n} line one about topic {n}.\nParagraph {n} line two with more words."
    for n in range(6)
)


def test_short_text_is_one_chunk() -> None:
    assert ru.split_text_to_chunks("one line\ntwo line\nthree line") == [
        "one line\ntwo line\nthree line"
    ]


def test_chunks_stay_within_the_token_budget() -> None:
    chunks = ru.split_text_to_chunks(PARAGRAPHS, max_tokens=40)
    assert len(chunks) > 1
    from convogen.llm.tokens import count_token

    assert all(count_token(c) <= 40 for c in chunks)


def test_chunks_break_at_empty_lines_and_keep_all_text() -> None:
    chunks = ru.split_text_to_chunks(PARAGRAPHS, max_tokens=40)
    for chunk in chunks:
        assert chunk.strip().splitlines()[-1].startswith("Paragraph")
        assert chunk.strip().endswith("more words.")
    joined = "\n".join(chunks)
    assert all(f"topic {n}." in joined for n in range(6))


def test_one_line_mode_makes_one_chunk_per_line_until_the_rest_fits() -> None:
    text = "\n".join(f"line number {n} has some words" for n in range(5))
    chunks = ru.split_text_to_chunks(text, max_tokens=20, chunk_mode="one_line")
    assert chunks[0] == "line number 0 has some words" and len(chunks) >= 3


def test_overlap_repeats_lines_between_chunks() -> None:
    text = "\n".join(f"line {n} alpha beta gamma" for n in range(8))
    chunks = ru.split_text_to_chunks(text, max_tokens=20, must_break_at_empty_line=False, overlap=1)
    assert chunks[0].splitlines()[-1] == chunks[1].splitlines()[0]


def test_a_line_longer_than_the_budget_is_cut() -> None:
    text = " ".join(["word"] * 200)
    chunks = ru.split_text_to_chunks(text, max_tokens=50, must_break_at_empty_line=False)
    assert len(chunks) > 1 and "".join(chunks).replace(" ", "") == text.replace(" ", "")


def test_chunks_shorter_than_the_minimum_are_dropped() -> None:
    assert ru.split_text_to_chunks("abc") == []
    assert ru.RAG_MINIMUM_MESSAGE_LENGTH == 5


def test_an_unknown_chunk_mode_is_named_in_the_error() -> None:
    assert frozenset({"one_line", "multi_lines"}) == ru.VALID_CHUNK_MODES
    with pytest.raises(ConfigError, match="chunk_mode"):
        ru.split_text_to_chunks("text", chunk_mode="paragraphs")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "volcano.txt").write_text(
        "Volcanoes erupt when magma from the mantle reaches the surface of the Earth."
    )
    (root / "sub" / "bees.md").write_text(
        "Honeybees tell hive mates where flowers are with the waggle dance."
    )
    (root / "sub" / "bread.md").write_text(
        "Sourdough bread rises thanks to wild yeast and lactic acid bacteria."
    )
    (root / "image.png").write_bytes(b"\x89PNG")
    return root


def test_files_are_found_by_type_recursively(docs: Path) -> None:
    found = ru.get_files_from_dir(str(docs))
    assert sorted(Path(f).name for f in found) == ["bees.md", "bread.md", "volcano.txt"]  # type: ignore[arg-type]
    flat = ru.get_files_from_dir(str(docs), types=["txt", ".md"], recursive=False)
    assert [Path(f).name for f in flat] == ["volcano.txt"]  # type: ignore[arg-type]


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="dir_path"):
        ru.get_files_from_dir(str(tmp_path / "nope"))


def test_split_files_to_chunks_names_each_chunks_source(docs: Path) -> None:
    files = [str(docs / "volcano.txt"), str(docs / "sub" / "bees.md")]
    chunks, sources = ru.split_files_to_chunks(files)
    assert chunks[0].startswith("Volcanoes") and sources == [{"source": f} for f in files]


def test_html_becomes_markdown_headed_by_its_title() -> None:
    html = (
        "<html><head><title>Tides</title><style>p{}</style></head><body>"
        "<h2>Cause</h2><p>The <a href='https://moon.example'>Moon</a> pulls.</p>"
        "<script>var x = 1;</script><ul><li>high</li><li>low</li></ul></body></html>"
    )
    markdown = ru.parse_html_to_markdown(html)
    assert markdown.startswith("# Tides\n\n## Cause")
    assert "[Moon](https://moon.example) pulls." in markdown and "- high\n- low" in markdown
    assert "var x" not in markdown and "p{}" not in markdown


def test_is_url_needs_a_scheme_and_a_host() -> None:
    assert ru.is_url("https://example.org/doc.md") and not ru.is_url("docs/readme.md")


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><head><title>Local</title></head><body><p>Served here.</p></body></html>"
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/page.html"
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_is_downloaded_as_markdown(page_url: str, tmp_path: Path) -> None:
    result = ru.get_file_from_url(page_url, save_path=str(tmp_path))
    assert result is not None and result[1] == page_url
    assert Path(result[0]).read_text() == "# Local\n\nServed here."


def test_a_failed_download_gives_none(tmp_path: Path) -> None:
    dead = "http://127.0.0.1:9/nothing-listens-here"
    assert ru.get_file_from_url(dead, save_path=str(tmp_path)) is None


@pytest.fixture(scope="module")
def chroma() -> None:
    pytest.importorskip("chromadb")


def test_create_then_query_round_trip_with_the_packaged_embedding(
    chroma: None, docs: Path, tmp_path: Path
) -> None:
    db_path = str(tmp_path / "chroma")
    client = ru.create_vector_db_from_dir(str(docs), db_path=db_path, collection_name="classic")
    result = ru.query_vector_db(
        ["How do bees find flowers?"], n_results=2, client=client, collection_name="classic"
    )
    assert result["documents"][0][0].startswith("Honeybees")
    assert result["metadatas"][0][0]["source"].endswith("bees.md")
    assert result["ids"][0][0].startswith("doc_")


def test_search_string_filters_documents(chroma: None, docs: Path, tmp_path: Path) -> None:
    client = ru.create_vector_db_from_dir(str(docs), db_path=str(tmp_path / "c"))
    result = ru.query_vector_db(["anything"], n_results=3, client=client, search_string="yeast")
    assert result["documents"] == [[(docs / "sub" / "bread.md").read_text()]]


def test_an_existing_collection_is_kept_without_get_or_create(
    chroma: None, docs: Path, tmp_path: Path
) -> None:
    client = ru.create_vector_db_from_dir(str(docs), db_path=str(tmp_path / "c"))
    ru.create_vector_db_from_dir(str(docs / "volcano.txt"), client=client)
    assert client.get_collection("all-my-documents").count() == 3
    ru.create_vector_db_from_dir(
        str(docs / "volcano.txt"), client=client, get_or_create=True, extra_docs=True
    )
    assert client.get_collection("all-my-documents").count() == 4


def test_another_embedding_model_is_refused_rather_than_downloaded(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="embedding_model"):
        ru.query_vector_db(["q"], db_path=str(tmp_path / "c"), embedding_model="bge-large")
