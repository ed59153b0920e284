"""Measuring retrieval quality: recall@k over questions labelled with the chunk that answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from convogen.apps.retrieval.store import VectorStore
from convogen.errors import ConfigError


@dataclass(frozen=True)
class LabelledQuestion:
    """A question and the id of the chunk (document) that answers it."""

    question: str
    answer_id: str


def retrieval_recall(
    store: VectorStore, labelled_questions: Sequence[LabelledQuestion | tuple[str, str]], k: int
) -> float:
    """The fraction of questions whose answering chunk is among the ``k`` nearest."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ConfigError("k", k, "must be a positive int")
    if not labelled_questions:
        raise ConfigError("labelled_questions", labelled_questions, "must not be empty")
    found = 0
    for item in labelled_questions:
        question, answer_id = (
            (item.question, item.answer_id) if isinstance(item, LabelledQuestion) else item
        )
        if answer_id in {hit.chunk.id for hit in store.query(question, k)}:
            found += 1
    return found / len(labelled_questions)
