"""examples/app_retrieval.py runs offline to completion, with an UPDATE CONTEXT round."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from convogen import StopReason
from convogen.apps.retrieval import MiniLMEmbedder

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "app_retrieval.py"


def test_the_retrieval_example_answers_after_updating_context(
    tmp_path: Path, minilm: MiniLMEmbedder
) -> None:
    spec = importlib.util.spec_from_file_location("example_app_retrieval", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outcome = module.main(silent=True, workspace=str(tmp_path))
    result = outcome["result"]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert "124.80" in result.summary
    rounds = [[h.chunk.text.splitlines()[0] for h in hits] for hits in outcome["rounds"]]
    assert sorted(rounds) == [
        ["def invoice_total(lines, vat_rate=0.2):"],
        ["def late_fee(days_late):"],
    ]
    assert outcome["recall"][3] == 1.0
