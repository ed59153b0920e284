"""``MathUserProxyAgent`` (MathChat): poses a problem, runs Python and Wolfram queries with state.

This is the classic ``agentchat.contrib.math_user_proxy_agent`` agent: 0.2's constructor,
``message_generator`` with ``prompt_type``, and its reply rules (earlier valid code is kept and
run before each new block, invalid queries are counted per step).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from convogen.agents.conversable import ConversableAgent
from convogen.agents.reply_types import ReplyResult
from convogen.agents.user_proxy import UserProxyAgent
from convogen.apps.math import prompts
from convogen.apps.math.answers import extract_answer
from convogen.apps.math.prompts import DEFAULT_REPLY, PROBLEM_MARKER, PROMPTS
from convogen.apps.math.wolfram import APPID_ENV, WolframAlphaAPIWrapper, wolfram_configured
from convogen.code.extract import UNKNOWN, find_code, infer_lang
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import ChatResult

_TERMINATE = re.compile(r"\bTERMINATE\s*$")
_TRACE_FILE = re.compile(r'File "/[^"]+\.py", line \d+, in .+\n')
MAX_OUTPUT_CHARS = 2000


def _queries(text: str) -> list[tuple[str, str]]:
    """(language, code) of the Python and Wolfram blocks of a message."""
    return [(lang, code) for lang, code in find_code(text) if lang in ("python", "wolfram")]


def has_final_answer(message: Message) -> bool:
    """True for a message with a boxed answer and no query still to run (0.2's end rule)."""
    text = content_str(message.get("content"))
    return bool(extract_answer(text)) and not _queries(text)


class MathUserProxyAgent(UserProxyAgent):
    """A user proxy for math problems: sends the prompt, answers queries, ends on a boxed answer.

    The answer the solver boxed last is kept in ``last_answer`` (None when it gave none).
    """

    MAX_CONSECUTIVE_AUTO_REPLY = 15
    DEFAULT_MAX_AUTO_REPLY = 10
    DEFAULT_REPLY = DEFAULT_REPLY

    def __init__(
        self,
        name: str | None = "MathChatAgent",
        is_termination_msg: Callable[[Message], bool] | None = None,
        human_input_mode: Literal["ALWAYS", "TERMINATE", "NEVER"] = "NEVER",
        default_auto_reply: str | dict[str, Any] | None = DEFAULT_REPLY,
        max_invalid_q_per_step: int = 3,
        **kwargs: Any,
    ) -> None:
        if isinstance(max_invalid_q_per_step, bool) or not isinstance(max_invalid_q_per_step, int):
            raise ConfigError("max_invalid_q_per_step", max_invalid_q_per_step, "must be an int")
        self._user_termination = is_termination_msg
        self._max_invalid_q_per_step = max_invalid_q_per_step
        self.wolfram: WolframAlphaAPIWrapper | None = None
        self.reset_problem()
        kwargs.setdefault("code_execution_config", {})
        super().__init__(
            name=name or "MathChatAgent",
            is_termination_msg=self._is_final,
            human_input_mode=human_input_mode,
            default_auto_reply=default_auto_reply if default_auto_reply is not None else "",
            **kwargs,
        )
        self.register_reply([ConversableAgent, None], _math_reply, position=2)

    def reset_problem(self) -> None:
        """Forget the counts, code and answers of the previous problem."""
        self._valid_q_count = 0
        self._total_q_count = 0
        self._accum_invalid_q_per_step = 0
        self.previous_code = ""
        self.last_reply: str | None = None
        self.last_answer: str | None = None

    def _is_final(self, message: Message) -> bool:
        """Termination check that also records the boxed answer it sees."""
        text = content_str(message.get("content"))
        answer = extract_answer(text)
        if answer:
            self.last_answer = answer
        if self._user_termination is not None:
            return self._user_termination(message)
        return has_final_answer(message) or bool(_TERMINATE.search(text))

    @staticmethod
    def message_generator(
        sender: MathUserProxyAgent, recipient: Any, context: dict[str, Any]
    ) -> str:
        """The first message: the prompt of ``context['prompt_type']`` and the problem.

        ``context`` holds ``problem``, and optionally ``prompt_type`` ("default", "python",
        "two_tools") or a ``customized_prompt`` put before the problem instead.
        """
        problem = context.get("problem")
        if not isinstance(problem, str) or not problem.strip():
            raise ConfigError("problem", problem, "must be a non-empty string")
        sender.reset_problem()
        custom = context.get("customized_prompt")
        if custom is not None:
            return str(custom) + problem
        return build_prompt(problem, context.get("prompt_type", "default"))

    def solve(self, assistant: Any, problem: str, **chat_kwargs: Any) -> ChatResult:
        """Run one chat with ``assistant`` on ``problem``; the answer is in ``last_answer``."""
        chat_kwargs.setdefault("silent", True)
        result: ChatResult = self.initiate_chat(
            assistant, message=self.message_generator, problem=problem, **chat_kwargs
        )
        return result

    def execute_one_python_code(self, pycode: str) -> tuple[str, bool]:
        """Run a block after the earlier valid code: (output or error, success)."""
        if self.code_execution_config is False:
            return "Error: code execution is switched off for this agent.", False
        code = self.previous_code + _print_last_line(pycode.replace("; ", "\n").replace(";", "\n"))
        exit_code, output = self.execute_code_blocks([("python", code)])
        ok = exit_code == 0
        if not ok:
            output = "Error: " + _TRACE_FILE.sub("", output)
        elif not output.strip():
            ok = "print" in code
            output = "No output found." if ok else prompts.NO_OUTPUT
        if len(output) > MAX_OUTPUT_CHARS:
            output, ok = prompts.TOO_LONG, False
        self._keep_state(code, ok)
        return output.strip(), ok

    def _keep_state(self, code: str, ok: bool) -> None:
        """Keep the code (without its prints) after a success, only its imports after a failure."""
        if ok:
            self.previous_code = _without_prints(code) + "\n"
            return
        imports = [line for line in code.splitlines() if line.startswith(("import ", "from "))]
        candidate = "\n".join(imports) + "\n" if imports else ""
        if candidate and candidate != self.previous_code:
            exit_code, _ = self.execute_code_blocks([("python", self.previous_code + candidate)])
            if exit_code == 0:
                self.previous_code += candidate

    def execute_one_wolfram_query(self, query: str) -> tuple[str, bool]:
        """Run one Wolfram Alpha query: (answer or error, success)."""
        if self.wolfram is None:
            if not wolfram_configured():
                return f"Error: Wolfram Alpha is not set up ({APPID_ENV}); use Python.", False
            self.wolfram = WolframAlphaAPIWrapper()
        output, ok = self.wolfram.run(query.strip())
        if not output:
            return "Error: The wolfram query is invalid.", False
        return output, ok

    def answer_queries(self, text: str) -> str | None:
        """The reply to a solver message: query results, or None when it holds no block."""
        blocks = find_code(text)
        if len(blocks) == 1 and blocks[0][0] == UNKNOWN:
            return None
        outputs: list[str] = []
        all_ok = True
        for lang, code in blocks:
            output, ok = self._run_query(lang or infer_lang(code), code)
            outputs.append(output)
            self._total_q_count += 1
            self._valid_q_count += 1 if ok else 0
            all_ok = all_ok and ok
        reply = "\n".join(outputs).strip()
        if reply == self.last_reply:
            return reply + "\n" + prompts.SAME_REPLY_NOTE
        self.last_reply = reply
        if not all_ok:
            self._accum_invalid_q_per_step += 1
            if self._accum_invalid_q_per_step > self._max_invalid_q_per_step:
                self._accum_invalid_q_per_step = 0
                return prompts.REVISIT_REPLY
        return reply

    def _run_query(self, lang: str, code: str) -> tuple[str, bool]:
        if lang == "python":
            return self.execute_one_python_code(code)
        if lang == "wolfram":
            return self.execute_one_wolfram_query(code)
        return f"Error: Unknown language {lang!r}: use python or wolfram blocks.", False


def _math_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Answer the solver's queries; a message without any gets the default auto reply."""
    if not isinstance(recipient, MathUserProxyAgent) or not messages:
        return False, None
    reply = recipient.answer_queries(content_str(messages[-1].get("content")))
    if reply is None:
        return True, recipient.default_auto_reply or DEFAULT_REPLY
    return True, reply


def _print_last_line(code: str) -> str:
    """Wrap a bare last expression in print(), as a notebook would show it."""
    lines = code.rstrip().splitlines()
    if "print(" in code or not lines:
        return code
    last = lines[-1]
    if last.startswith((" ", "\t")) or "=" in last or last.startswith(("import ", "from ")):
        return code
    lines[-1] = f"print({last})"
    return "\n".join(lines)


def _without_prints(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if not line.startswith("print("))


def build_prompt(problem: str, prompt_type: str = "default") -> str:
    """The MathChat prompt of ``prompt_type`` followed by the problem."""
    if prompt_type not in PROMPTS:
        raise ConfigError("prompt_type", prompt_type, f"must be one of {sorted(PROMPTS)}")
    return PROMPTS[prompt_type] + problem.strip()


def problem_from_prompt(text: str) -> str:
    """The problem statement inside a prompt built by ``build_prompt`` (else the whole text)."""
    _, marker, problem = text.rpartition(PROBLEM_MARKER)
    return problem.strip() if marker else text.strip()
