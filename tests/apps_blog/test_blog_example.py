"""examples/app_blog_team.py: the legal reviewer's request ends up in the final post."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from convogen import StopReason

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "app_blog_team.py"


def test_the_blog_example_runs() -> None:
    spec = importlib.util.spec_from_file_location("example_app_blog_team", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(silent=True)
    assert result.approved and result.post != result.draft
    assert "Studies on pairing" in result.post and "Studies" not in result.draft
    assert result.chat_result is not None
    assert result.chat_result.stop_reason is StopReason.TERMINATION_MESSAGE
