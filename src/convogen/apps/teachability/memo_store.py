"""``MemoStore``: (input text, output text) memos in a ChromaDB collection on disk.

Inputs are embedded with the packaged all-MiniLM-L6-v2 (never downloaded); the memo texts are
kept beside the collection in ``uid_text_dict.json`` (JSON rather than 0.2's pickle, so a memo
directory can never run code when loaded).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from convogen.apps.retrieval.chroma_db import MiniLMEmbeddingFunction, chroma_client
from convogen.formatting_utils import colored

COLLECTION = "memos"
MEMO_FILE = "uid_text_dict.json"
PREPOPULATED = [
    ("When I say papers I mean research papers, which are typically pdfs.", "yes"),
    ("Please verify that each paper you listed actually uses langchain.", "no"),
    ("Tell gpt the output should still be latex code.", "no"),
    ("Hint: convert pdfs to text and then answer questions based on them.", "yes"),
    ("To create a good PPT, include enough content to make it interesting.", "yes"),
    ("No, for this case the columns should be aspects and the rows should be frameworks.", "no"),
    ("When writing code, remember to include any libraries that are used.", "yes"),
    ("Please summarize the papers by Eric Horvitz on bounded rationality.", "no"),
    ("Compare the h-index of Daniel Weld and Oren Etzioni.", "no"),
    (
        "Double check to be sure that the columns in a table correspond to what was asked for.",
        "yes",
    ),
]


def announce(text: str, color: str = "light_yellow") -> None:
    """Print a memory operation in colour."""
    print(colored(text, color), flush=True)


class MemoStore:
    """A vector store of memos: an input (question or task) and an output (answer or advice)."""

    def __init__(
        self,
        verbosity: int | None = 0,
        reset: bool | None = False,
        path_to_db_dir: str | None = "./tmp/teachable_agent_db",
    ) -> None:
        self.verbosity = verbosity or 0
        self.path_to_db_dir = str(path_to_db_dir or "./tmp/teachable_agent_db")
        Path(self.path_to_db_dir).mkdir(parents=True, exist_ok=True)
        self._embed = MiniLMEmbeddingFunction()
        self.db_client = chroma_client(self.path_to_db_dir)
        self.vec_db = self._collection()
        self.path_to_dict = str(Path(self.path_to_db_dir) / MEMO_FILE)
        self.uid_text_dict: dict[str, tuple[str, str]] = {}
        self.last_memo_id = 0
        if not reset and Path(self.path_to_dict).exists():
            announce(
                f"\nLOADING MEMORY FROM DISK\n    Location = {self.path_to_dict}", "light_green"
            )
            self.uid_text_dict = _load_memos(self.path_to_dict)
            self.last_memo_id = len(self.uid_text_dict)
            if self.verbosity >= 3:
                self.list_memos()
        if reset:
            self.reset_db()

    def _collection(self) -> Any:
        return self.db_client.get_or_create_collection(COLLECTION, embedding_function=None)

    def list_memos(self) -> None:
        """Print every memo."""
        announce("LIST OF MEMOS", "light_green")
        for uid, (input_text, output_text) in self.uid_text_dict.items():
            announce(f"  ID: {uid}\n    INPUT TEXT: {input_text}\n    OUTPUT TEXT: {output_text}")

    def save_memos(self) -> None:
        """Write the memo texts to disk."""
        data = {uid: list(pair) for uid, pair in self.uid_text_dict.items()}
        Path(self.path_to_dict).write_text(json.dumps(data, indent=1), encoding="utf-8")

    def reset_db(self) -> None:
        """Delete every memo, in memory and on disk."""
        announce("\nCLEARING MEMORY", "light_green")
        self.db_client.delete_collection(COLLECTION)
        self.vec_db = self._collection()
        self.uid_text_dict = {}
        self.last_memo_id = 0
        self.save_memos()

    def add_input_output_pair(self, input_text: str, output_text: str) -> None:
        """Store one memo."""
        self.last_memo_id += 1
        uid = str(self.last_memo_id)
        vector = [float(x) for x in self._embed([input_text])[0]]
        self.vec_db.add(ids=[uid], documents=[input_text], embeddings=[vector])
        self.uid_text_dict[uid] = (input_text, output_text)
        if self.verbosity >= 1:
            announce(
                f"\nINPUT-OUTPUT PAIR ADDED TO VECTOR DATABASE:\n  ID\n    {uid}\n"
                f"  INPUT\n    {input_text}\n  OUTPUT\n    {output_text}\n"
            )
        if self.verbosity >= 3:
            self.list_memos()

    def get_nearest_memo(self, query_text: str) -> tuple[str, str, float]:
        """The closest memo to ``query_text``: (input, output, distance)."""
        found = self._query(query_text, 1)
        if not found:
            raise LookupError("the memo store is empty")
        return found[0]

    def get_related_memos(
        self, query_text: str, n_results: int, threshold: int | float
    ) -> list[tuple[str, str, float]]:
        """Memos closer to ``query_text`` than ``threshold``, nearest first, at most n_results."""
        return [m for m in self._query(query_text, n_results) if m[2] < threshold]

    def prepopulate(self) -> None:
        """Add a few example memos, so that retrieval is not trivially exact."""
        if self.verbosity >= 1:
            announce("\nPREPOPULATING MEMORY", "light_green")
        for text, label in PREPOPULATED:
            self.add_input_output_pair(text, label)
        self.save_memos()

    def _query(self, query_text: str, n_results: int) -> list[tuple[str, str, float]]:
        n_results = min(n_results, len(self.uid_text_dict))
        if n_results < 1:
            return []
        vector = [float(x) for x in self._embed([query_text])[0]]
        results = self.vec_db.query(query_embeddings=[vector], n_results=n_results)
        memos = []
        for uid, distance in zip(results["ids"][0], results["distances"][0], strict=True):
            input_text, output_text = self.uid_text_dict[uid]
            if self.verbosity >= 1:
                announce(
                    f"\nINPUT-OUTPUT PAIR RETRIEVED FROM VECTOR DATABASE:\n  INPUT1\n"
                    f"    {input_text}\n  OUTPUT\n    {output_text}\n  DISTANCE\n    {distance}"
                )
            memos.append((input_text, output_text, float(distance)))
        return memos


def _load_memos(path: str) -> dict[str, tuple[str, str]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {str(uid): (str(pair[0]), str(pair[1])) for uid, pair in data.items()}
