"""Retrieval quality with the real all-MiniLM-L6-v2 model on a small labelled corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convogen.apps.retrieval import (
    ChromaVectorStore,
    Chunk,
    HashingEmbedder,
    InMemoryVectorStore,
    LabelledQuestion,
    MiniLMEmbedder,
    retrieval_recall,
)
from convogen.errors import ConfigError


def _chunks(corpus: dict[str, str]) -> list[Chunk]:
    return [
        Chunk(doc_id, text, {"source": doc_id, "position": 0}) for doc_id, text in corpus.items()
    ]


def test_the_model_embeds_meaning(minilm: MiniLMEmbedder) -> None:
    cat, feline, stocks = np.array(
        minilm.embed(["A cat sits on the mat.", "A feline rests on a rug.", "Stocks fell."])
    )
    assert cat.shape == (384,)
    assert np.linalg.norm(cat) == pytest.approx(1.0, abs=1e-5)
    assert cat @ feline > 0.5 > cat @ stocks
    # Batching and padding do not change a text's vector.
    alone = np.array(minilm.embed(["A feline rests on a rug."])[0])
    assert np.allclose(alone, feline, atol=1e-5)


def test_recall_with_the_real_model_in_persistent_chroma(
    minilm: MiniLMEmbedder,
    corpus: dict[str, str],
    questions: list[LabelledQuestion],
    tmp_path: Path,
) -> None:
    store = ChromaVectorStore(minilm, "labelled-corpus", tmp_path / "db")
    store.add(_chunks(corpus))
    recall_1 = retrieval_recall(store, questions, k=1)
    recall_3 = retrieval_recall(store, questions, k=3)
    print(
        f"\nall-MiniLM-L6-v2 on {len(questions)} questions: recall@1={recall_1:.2f} "
        f"recall@3={recall_3:.2f}"
    )
    assert recall_3 >= 0.8
    assert recall_1 >= 0.7
    hits = store.query("When is a player allowed to castle?", 3)
    assert hits[0].chunk.id == "chess"
    assert hits[0].chunk.metadata == {"source": "chess", "position": 0}
    # Persistent: a new client on the same path sees the same chunks, nothing duplicated.
    reopened = ChromaVectorStore(minilm, "labelled-corpus", tmp_path / "db")
    assert reopened.count() == len(corpus)
    assert reopened.query("How long is a marathon?", 2)[0].chunk.id == "marathon"


def test_in_memory_store_agrees_with_chroma_and_excludes_ids(
    minilm: MiniLMEmbedder, corpus: dict[str, str]
) -> None:
    store = InMemoryVectorStore(minilm)
    store.add(_chunks(corpus))
    first = [h.chunk.id for h in store.query("Which city is the birthplace of jazz?", 3)]
    assert first[0] == "jazz"
    rest = [h.chunk.id for h in store.query("Which city is the birthplace of jazz?", 3, first)]
    assert not set(first) & set(rest) and len(rest) == 3


def test_a_collection_built_with_another_embedder_is_refused(tmp_path: Path) -> None:
    ChromaVectorStore(HashingEmbedder(64), "mixed", tmp_path).add([Chunk("a", "text", {})])
    with pytest.raises(ConfigError, match="collection_name") as caught:
        ChromaVectorStore(HashingEmbedder(128), "mixed", tmp_path)
    assert "hashing-64" in str(caught.value)
    assert ChromaVectorStore(HashingEmbedder(128), "mixed", tmp_path, overwrite=True).count() == 0


def test_recall_arguments_are_checked(minilm: MiniLMEmbedder) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    with pytest.raises(ConfigError, match="k="):
        retrieval_recall(store, [("q", "a")], k=0)
    with pytest.raises(ConfigError, match="labelled_questions"):
        retrieval_recall(store, [], k=1)
    with pytest.raises(ConfigError, match="collection_name"):
        ChromaVectorStore(HashingEmbedder(), "x")
