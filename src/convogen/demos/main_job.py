"""``convogen demo``: run the coding demo, check the printed answer, suggest next steps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Console

from convogen.cli.models import ModelChoice, local_llm_config
from convogen.demos import local_coding, scripted_coding
from convogen.messages import content_str
from convogen.results import ChatResult

NEXT_STEPS = (
    "next steps:",
    "  convogen demo --scripted               the same flow on a scripted model",
    "  convogen demo --config OAI_CONFIG_LIST your own models (a config list)",
    "  convogen studio                        build and run teams in a web page",
    "  convogen init my-team                  a starter project with team specs",
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Verdict:
    """What the model's program printed last, compared with the known answer."""

    expected: str
    printed: str | None

    @property
    def correct(self) -> bool:
        """True when the last number printed is the expected value."""
        return self.printed == self.expected

    def describe(self) -> str:
        """One sentence for the console."""
        if self.printed is None:
            return f"no program ran successfully, so there is no answer (expected {self.expected})"
        verdict = "right" if self.correct else "wrong"
        return f"the program printed {self.printed}: {verdict} (expected {self.expected})"


def judge(result: ChatResult, expected: str) -> Verdict:
    """The last number printed by a successful code run of the chat, against ``expected``."""
    printed: str | None = None
    for message in result.chat_history:
        text = content_str(message.get("content"))
        if text.startswith("exitcode: 0"):
            numbers = _NUMBER.findall(text.partition("Code output:")[2])
            printed = numbers[-1] if numbers else printed
    return Verdict(expected, printed)


def run_demo(choice: ModelChoice, console: Console, silent: bool = False) -> Verdict:
    """Run the demo on the chosen model (default: the embedded one) and report on it."""
    if choice.scripted:
        result, expected = scripted_coding.run(silent=silent), scripted_coding.EXPECTED
    else:
        llm_config = local_llm_config() if choice.uses_default else choice.llm_config()
        result = local_coding.run(silent=silent, llm_config=llm_config)
        expected = local_coding.EXPECTED
    verdict = judge(result, expected)
    if not silent:
        scripted_coding.show_result(result, console)
        style = "green" if verdict.correct else "yellow"
        console.print(f"[{style}]answer check:[/] {verdict.describe()}")
        if not choice.scripted and not verdict.correct:
            console.print("(a 135M model writes plausible code, not always correct code)")
        for line in NEXT_STEPS:
            console.print(line, highlight=False, soft_wrap=True)
    return verdict
