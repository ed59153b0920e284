"""The OptiGuide pattern: a commander asks a writer for what-if code, a safeguard vets it.

The user talks to the commander only. For each question the commander runs two nested
chats of one turn each (commander <-> writer for code, commander <-> safeguard for a
verdict), checks the code statically with ``ast`` as well, runs safe code in the sandbox
against the model, and answers with the new optimum. Failing code is sent back to the writer
(a bounded number of times); code judged DANGER by either check is refused and never run.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from convogen.agents.conversable import ConversableAgent
from convogen.agents.replies.code_execution import executor_for, run_code
from convogen.agents.reply_types import ReplyResult
from convogen.apps.optiguide import prompts, supply_chain
from convogen.apps.optiguide.safety import SafetyReport, check_code
from convogen.apps.optiguide.supply_chain import Solution, SupplyChain
from convogen.code.extract import extract_code
from convogen.code.protocol import CodeBlock
from convogen.errors import ConfigError
from convogen.messages import Message, content_str

Status = Literal["answered", "infeasible", "refused", "failed"]


@dataclass
class WhatIfAnswer:
    """The outcome of one what-if question."""

    question: str
    status: Status
    baseline_cost: float | None
    new_cost: float | None = None
    solution: Solution | None = None
    code: str = ""
    attempts: int = 0
    safety: SafetyReport | None = None
    safeguard_reply: str = ""
    errors: list[str] = field(default_factory=list)
    message: str = ""


class OptiGuideCommander(ConversableAgent):
    """Answers what-if questions about a ``SupplyChain`` with a writer and a safeguard agent."""

    def __init__(
        self,
        name: str,
        writer: ConversableAgent,
        safeguard: ConversableAgent,
        model: SupplyChain | None = None,
        work_dir: str | Path = "optiguide",
        max_attempts: int = 3,
        code_execution_config: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise ConfigError("max_attempts", max_attempts, "must be a positive int")
        config = dict(code_execution_config or {"work_dir": str(work_dir)})
        kwargs.setdefault("system_message", "You coordinate what-if analysis of a supply chain.")
        super().__init__(name, llm_config=False, code_execution_config=config, **kwargs)
        self.writer = writer
        self.safeguard = safeguard
        self.model = model if model is not None else supply_chain.default_model()
        self.max_attempts = max_attempts
        self.answers: list[WhatIfAnswer] = []
        # Only the user's questions start the workflow; the writer's and safeguard's replies
        # arrive through the nested chats the commander itself drives.
        self.register_reply(
            lambda sender: sender is not writer and sender is not safeguard, _answer_reply, 0
        )

    async def a_answer(self, question: str, silent: bool = True) -> WhatIfAnswer:
        """Run the write -> vet -> execute loop for ``question``."""
        baseline = supply_chain.solve(self.model)
        answer = WhatIfAnswer(question, "failed", baseline.cost)
        feedback = ""
        for attempt in range(1, self.max_attempts + 1):
            answer.attempts = attempt
            code = await self._a_write(question, feedback, silent)
            if not code:
                feedback = self._retry(answer, attempt, "no ```python code block in the reply")
                continue
            answer.code = code
            answer.safety = check_code(code)
            if answer.safety.syntax_error:
                feedback = self._retry(answer, attempt, "\n".join(answer.safety.issues))
                continue
            answer.safeguard_reply = await self._a_vet(code, silent)
            if not answer.safety.safe or parse_verdict(answer.safeguard_reply) != "SAFE":
                answer.status = "refused"
                break
            outcome = await self._a_execute(code)
            if isinstance(outcome, str):
                feedback = self._retry(answer, attempt, outcome)
                continue
            answer.solution = outcome
            answer.new_cost = outcome.cost
            answer.status = "answered" if outcome.status == "optimal" else "infeasible"
            break
        answer.message = describe(answer)
        self.answers.append(answer)
        return answer

    def _retry(self, answer: WhatIfAnswer, attempt: int, error: str) -> str:
        answer.errors.append(error)
        return prompts.RETRY_FEEDBACK.format(attempt=attempt, error=error[-2000:])

    async def _a_write(self, question: str, feedback: str, silent: bool) -> str:
        message = prompts.WRITER_PROMPT.format(
            question=question, model_json=self.model.to_json(), feedback=feedback
        )
        result = await self.a_initiate_chat(
            self.writer, message=message, max_turns=1, silent=silent
        )
        blocks = [b for b in extract_code(result.summary or "") if b.language == "python"]
        return "\n".join(b.code.strip() for b in blocks)

    async def _a_vet(self, code: str, silent: bool) -> str:
        result = await self.a_initiate_chat(
            self.safeguard,
            message=prompts.SAFEGUARD_PROMPT.format(code=code),
            max_turns=1,
            silent=silent,
        )
        return result.summary or ""

    async def _a_execute(self, code: str) -> Solution | str:
        """Run the vetted code and the solver in the sandbox; an error text on failure."""
        work_dir = Path(executor_for(self).work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(supply_chain.__file__, work_dir / "optiguide_model.py")
        (work_dir / "model.json").write_text(self.model.to_json())
        script = prompts.SCRIPT.format(code=code, marker=prompts.RESULT_MARKER)
        result = await run_code(self, [CodeBlock(script, "python")])
        for line in result.output.splitlines():
            if line.startswith(prompts.RESULT_MARKER):
                data = json.loads(line[len(prompts.RESULT_MARKER) :])
                return Solution(**data)
        return f"exit code {result.exit_code}:\n{result.output.strip()}"


async def _answer_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    if not isinstance(recipient, OptiGuideCommander) or not messages:
        return False, None
    question = content_str(messages[-1].get("content")).strip()
    if not question:
        return False, None
    answer = await recipient.a_answer(question, silent=bool(recipient.silent))
    return True, answer.message


def parse_verdict(text: str) -> str:
    """'SAFE' only when the reply says SAFE and not DANGER; anything unclear is 'DANGER'."""
    words = set(re.findall(r"[A-Z]+", text.upper()))
    return "SAFE" if "SAFE" in words and "DANGER" not in words else "DANGER"


def describe(answer: WhatIfAnswer) -> str:
    """The commander's reply to the user."""
    if answer.status == "answered" and answer.solution is not None:
        change = ""
        if answer.baseline_cost is not None and answer.new_cost is not None:
            delta = answer.new_cost - answer.baseline_cost
            change = f" (baseline {answer.baseline_cost:g}, change {delta:+g})"
        return (
            f"With this change the optimal total cost is {answer.new_cost:g}{change}. "
            f"Open warehouses: {', '.join(answer.solution.open_warehouses)}."
        )
    if answer.status == "infeasible":
        return "With this change the model has no feasible plan: demand cannot be met."
    if answer.status == "refused":
        reasons = answer.safety.issues if answer.safety and answer.safety.issues else []
        why = "; ".join(reasons) or f"the safeguard answered {answer.safeguard_reply.strip()!r}"
        return f"I refused to run the code for this question because it is unsafe: {why}"
    last = answer.errors[-1] if answer.errors else "unknown error"
    return f"I could not answer after {answer.attempts} attempt(s); last error: {last}"
