"""``import convogen.llm`` stays light: no openai, no flaml until they are needed."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_load_heavy_dependencies() -> None:
    code = (
        "import sys, convogen.llm, convogen.llm.cache;"
        "heavy = [m for m in ('openai', 'flaml', 'httpx', 'redis', 'http.server') "
        "if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_lazy_names_resolve() -> None:
    import convogen.llm as llm

    assert llm.Completion.__name__ == "Completion"
    assert llm.OpenAICompatibleTestServer.__name__ == "OpenAICompatibleTestServer"
    assert set(llm.__all__) >= {"OpenAIWrapper", "Cache", "config_list_from_json", "Fault"}
