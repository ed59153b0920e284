"""Shared fixtures: the real embedding model (loaded once), a labelled corpus, a PDF maker."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

# Nothing here may reach a network: no hub downloads, no chroma telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from convogen.apps.retrieval import LabelledQuestion, MiniLMEmbedder, default_embedder

CORPUS: dict[str, str] = {
    "volcano": "Volcanoes form where magma from the mantle reaches the surface; basaltic "
    "eruptions produce runny lava flows, while explosive eruptions throw out ash and pumice.",
    "honeybee": "Honeybees communicate the direction and distance of flowers to hive mates "
    "with the waggle dance performed on the vertical honeycomb.",
    "sourdough": "Sourdough bread rises thanks to a starter of wild yeast and lactic acid "
    "bacteria, which also gives the loaf its tangy flavour.",
    "chess": "In chess, castling moves the king two squares towards a rook and places that "
    "rook on the square the king crossed; it is allowed only if neither piece has moved.",
    "tides": "Ocean tides are caused mainly by the Moon's gravity pulling on the Earth's "
    "oceans, producing two high tides roughly every 24 hours and 50 minutes.",
    "photosynthesis": "Photosynthesis in plant leaves uses sunlight, water and carbon dioxide "
    "to produce glucose and releases oxygen; chlorophyll absorbs the light.",
    "bitcoin": "Bitcoin transactions are grouped into blocks that miners secure with "
    "proof-of-work, and the supply of bitcoins is capped at 21 million.",
    "marathon": "The marathon race distance is 42.195 kilometres; runners often hit 'the "
    "wall' around kilometre 30 when glycogen stores run low.",
    "vaccines": "Vaccines train the immune system by exposing it to a harmless piece or "
    "weakened form of a pathogen, so that memory cells respond quickly later.",
    "jazz": "Jazz emerged in New Orleans in the early twentieth century, blending blues, "
    "ragtime and brass band music, with improvisation at its heart.",
    "glaciers": "Glaciers are slow rivers of ice that carve U-shaped valleys and leave "
    "moraines of rock debris when they retreat.",
    "compost": "A compost heap turns kitchen scraps and garden waste into humus; it needs a "
    "balance of nitrogen-rich greens, carbon-rich browns, moisture and air.",
    "tcp": "TCP provides reliable, ordered delivery of bytes between programs, using "
    "sequence numbers, acknowledgements and retransmission of lost packets.",
    "origami": "Origami is the Japanese art of folding a single square sheet of paper into "
    "shapes such as the crane, without cutting or gluing.",
    "penguins": "Emperor penguins breed during the Antarctic winter; the male keeps the egg "
    "warm on his feet for about two months while the female feeds at sea.",
}

QUESTIONS: list[LabelledQuestion] = [
    LabelledQuestion("How do bees tell each other where the flowers are?", "honeybee"),
    LabelledQuestion("What makes sourdough taste sour?", "sourdough"),
    LabelledQuestion("When is a player allowed to castle?", "chess"),
    LabelledQuestion("Why does the sea level rise and fall twice a day?", "tides"),
    LabelledQuestion("Which gas do leaves give off when they make sugar?", "photosynthesis"),
    LabelledQuestion("What is the maximum number of bitcoins that will exist?", "bitcoin"),
    LabelledQuestion("How long is a marathon?", "marathon"),
    LabelledQuestion("How does immunisation protect people from disease?", "vaccines"),
    LabelledQuestion("Which city is the birthplace of jazz?", "jazz"),
    LabelledQuestion("How does a network protocol recover lost packets?", "tcp"),
]


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    """The real all-MiniLM-L6-v2 embedder, shared by the whole session."""
    return default_embedder()


@pytest.fixture
def corpus() -> dict[str, str]:
    """Fifteen short documents on distinct topics, keyed by id."""
    return dict(CORPUS)


@pytest.fixture
def questions() -> list[LabelledQuestion]:
    """Ten questions, each labelled with the id of the document that answers it."""
    return list(QUESTIONS)


@pytest.fixture
def pdf_maker() -> Callable[[Path, list[str]], Path]:
    """A function that writes a small PDF with the given page texts."""
    return make_pdf


def make_pdf(path: Path, pages: list[str]) -> Path:
    """Write a minimal PDF with one line of Helvetica text per page (no PDF library needed)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids: list[str] = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        page_no = len(objects) + 1
        kids.append(f"{page_no} 0 R")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page_no + 1} 0 R "
            f"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            f">> >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path
