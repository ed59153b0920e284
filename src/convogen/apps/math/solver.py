"""A scripted "solver" model for offline runs: it writes Python, then boxes the printed value.

It is a stand-in for an LLM, not a math solver: it translates the arithmetic expression of a
problem (``$...$``) to Python, or uses a program given for the problem, so that the whole
MathChat loop (prompt, code, sandbox, output, boxed answer, grading) runs without a network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from convogen.apps.math.agent import problem_from_prompt
from convogen.llm.scripted import ReplyFunction
from convogen.messages import Message, content_str

GIVE_UP = "I cannot work this one out with the tools I have. TERMINATE"


def latex_to_program(expression: str) -> str | None:
    """Python code printing the exact value of a LaTeX arithmetic expression, or None."""
    code = expression.strip()
    for _ in range(8):  # nested fractions, innermost first
        before = code
        code = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"(F(\1) / F(\2))", code)
        code = re.sub(r"\\sqrt\{([^{}]*)\}", r"math.sqrt(\1)", code)
        if code == before:
            break
    code = code.replace("\\cdot", "*").replace("\\times", "*").replace("\\div", "/")
    code = code.replace("\\left", "").replace("\\right", "").replace("^", "**")
    code = code.replace("{", "(").replace("}", ")")
    if re.search(r"[^\d\s.+\-*/()F]", code.replace("math.sqrt", "")):
        return None
    return (
        "import math\n"
        "from fractions import Fraction as F\n\n"
        f"value = {code}\n"
        "print(F(value).limit_denominator() if isinstance(value, float) else value)\n"
    )


def program_for(problem: str, programs: Mapping[str, str]) -> str | None:
    """The given program whose key occurs in ``problem``, else one translated from ``$...$``."""
    for key, program in programs.items():
        if key in problem:
            return program
    maths = re.findall(r"\$([^$]+)\$", problem)
    return latex_to_program(maths[-1]) if maths else None


def _last_output_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def scripted_math_solver(programs: Mapping[str, str] | None = None) -> ReplyFunction:
    """A reply function for ``scripted_llm_config`` that solves problems by writing Python.

    ``programs`` maps a phrase of a problem to the Python to run for it (its last printed
    line becomes the boxed answer); other problems get their last ``$...$`` expression
    evaluated exactly.
    """
    known = dict(programs or {})

    def reply(messages: list[Message]) -> str:
        prompts = [m for m in messages if m.get("role") == "user"]
        if len(prompts) > 1:  # the proxy answered the query: box what it printed
            output = content_str(prompts[-1].get("content"))
            value = _last_output_line(output)
            if not value or output.startswith("Error:") or output.startswith("No output"):
                return GIVE_UP
            return f"The program printed {value}, so the final answer is \\boxed{{{value}}}."
        problem = problem_from_prompt(content_str(prompts[0].get("content")) if prompts else "")
        program = program_for(problem, known)
        if program is None:
            return GIVE_UP
        return f"I will compute the answer with Python.\n\n```python\n{program.strip()}\n```"

    return reply
