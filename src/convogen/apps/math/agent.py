"""``MathUserProxyAgent``: poses a math problem, runs the solver's Python, spots the answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from convogen.agents.user_proxy import UserProxyAgent
from convogen.apps.math.answers import extract_answer
from convogen.code.extract import content_has_code
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import ChatResult

PROBLEM_MARKER = "Problem:"

PROMPT_TEMPLATE = """Let's solve a math problem together, using Python where it helps.

How to work:
1. Think through the problem step by step and explain your reasoning briefly.
2. Whenever a computation is needed, write one ```python code block that prints every value
   you need (use print; a bare expression shows nothing). Prefer exact arithmetic:
   fractions.Fraction for rational numbers, integers instead of floats.
3. I will run each code block and send you its output. If the code fails, fix it and retry.
4. When you are sure, state the final answer in simplest exact form inside \\boxed{{}}, in a
   message that has no code block.

{problem_marker} {problem}"""

CONTINUE_MESSAGE = (
    "Keep going. If you need a computation, send a ```python code block that prints its "
    "results; if you have the final answer, write it inside \\boxed{}."
)

_TERMINATE = re.compile(r"\bTERMINATE\s*$")


def has_final_answer(message: Message) -> bool:
    """True for a message with a boxed answer and no code block still to run."""
    text = content_str(message.get("content"))
    return extract_answer(text) is not None and not content_has_code(text)


class MathUserProxyAgent(UserProxyAgent):
    """A user proxy for math problems: builds the prompt, runs code, ends on a boxed answer.

    The answer the solver boxed last is kept in ``last_answer`` (None when it gave none).
    """

    DEFAULT_MAX_AUTO_REPLY = 10

    def __init__(
        self,
        name: str = "mathproxyagent",
        is_termination_msg: Callable[[Message], bool] | None = None,
        human_input_mode: Literal["ALWAYS", "TERMINATE", "NEVER"] = "NEVER",
        code_execution_config: dict[str, Any] | Literal[False] | None = None,
        max_consecutive_auto_reply: int | None = DEFAULT_MAX_AUTO_REPLY,
        default_auto_reply: str | dict[str, Any] = CONTINUE_MESSAGE,
        **kwargs: Any,
    ) -> None:
        self._extra_termination = is_termination_msg
        self.last_answer: str | None = None
        super().__init__(
            name=name,
            is_termination_msg=self._is_final,
            human_input_mode=human_input_mode,
            code_execution_config=code_execution_config,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            default_auto_reply=default_auto_reply,
            **kwargs,
        )

    def _is_final(self, message: Message) -> bool:
        """Termination check that also records the boxed answer it sees."""
        text = content_str(message.get("content"))
        if has_final_answer(message):
            self.last_answer = extract_answer(text)
            return True
        if self._extra_termination is not None and self._extra_termination(message):
            return True
        return bool(_TERMINATE.search(text))

    @staticmethod
    def message_generator(
        sender: MathUserProxyAgent, recipient: Any, context: dict[str, Any]
    ) -> str:
        """The first message of a chat: the prompt for ``context['problem']``.

        Pass it as ``initiate_chat(assistant, message=MathUserProxyAgent.message_generator,
        problem=...)``; it also resets the recorded answer.
        """
        problem = context.get("problem")
        if not isinstance(problem, str) or not problem.strip():
            raise ConfigError("problem", problem, "must be a non-empty string")
        sender.last_answer = None
        return build_prompt(problem)

    def solve(self, assistant: Any, problem: str, **chat_kwargs: Any) -> ChatResult:
        """Run one chat with ``assistant`` on ``problem``; the answer is in ``last_answer``."""
        chat_kwargs.setdefault("silent", True)
        result: ChatResult = self.initiate_chat(
            assistant, message=self.message_generator, problem=problem, **chat_kwargs
        )
        return result


def build_prompt(problem: str) -> str:
    """The prompt asking for a step-by-step, Python-assisted solution with a boxed answer."""
    return PROMPT_TEMPLATE.format(problem_marker=PROBLEM_MARKER, problem=problem.strip())


def problem_from_prompt(text: str) -> str:
    """The problem statement inside a prompt built by ``build_prompt`` (else the whole text)."""
    _, marker, problem = text.rpartition(PROBLEM_MARKER)
    return problem.strip() if marker else text.strip()
