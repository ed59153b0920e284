"""MathChat's prompts (one per ``prompt_type``) and the proxy's fixed replies."""

from __future__ import annotations

PROBLEM_MARKER = "Problem:"

_PYTHON_RULES = """Rules for Python:
- Put each computation in one ```python code block; I run it and send you what it prints.
- Print every value you need (a bare expression shows nothing); keep results exact: use
  fractions and radicals (sympy helps) rather than decimals.
- Variables and imports of your earlier blocks that ran without error are still defined.
"""

_STEPWISE = """Work in steps:
1. Reason through the problem one step at a time, without splitting it too finely.
2. Hand me any calculation or equation as a query, and wait for its result.
3. If a result looks wrong or a query fails, fix the query or your reasoning; else go on.
"""

DEFAULT_PROMPT = (
    "We will solve a math problem together; Python is available.\n\n"
    + _PYTHON_RULES
    + """
Begin with the key idea, then pick the approach that fits:
(a) the problem is a direct computation: write one program that solves it (enumerating
    cases is fine);
(b) the problem is mostly reasoning: solve it yourself;
(c) otherwise, mix reasoning and Python:
"""
    + _STEPWISE
    + "\nOnce every query has run and you have the answer, write it inside \\boxed{}.\n\n"
    + PROBLEM_MARKER
    + " "
)

PYTHON_PROMPT = (
    "We will solve a math problem step by step, with Python for the calculations.\n\n"
    + _PYTHON_RULES
    + "\n"
    + _STEPWISE
    + "\nOnce every query has run and you have the answer, write it inside \\boxed{}.\n\n"
    + PROBLEM_MARKER
    + " "
)

TWO_TOOLS_PROMPT = (
    "We will solve a math problem step by step with two tools: Python and Wolfram Alpha.\n\n"
    + _PYTHON_RULES
    + """Rules for Wolfram Alpha:
- Put exactly one query in each ```wolfram code block; I send you its answer.
- Choose whichever tool suits each query best.

"""
    + _STEPWISE
    + "\nOnce every query has run and you have the final answer, write it inside \\boxed{}.\n\n"
    + PROBLEM_MARKER
    + " "
)

PROMPTS = {"default": DEFAULT_PROMPT, "python": PYTHON_PROMPT, "two_tools": TWO_TOOLS_PROMPT}

DEFAULT_REPLY = (
    "Go on with the solution until you need a query answered. "
    "When you have the answer, write it inside \\boxed{}."
)
SAME_REPLY_NOTE = "This query gives the same result as your last one; try another approach."
REVISIT_REPLY = (
    "Several queries in a row have failed. Re-read the problem and check this step: if you "
    "are sure it is right, work it out without a query and move on; otherwise correct it."
)
NO_OUTPUT = "The code printed nothing. Print the values you need."
TOO_LONG = (
    "The query's output is too long, which suggests a mistake. Check your reasoning and "
    "send a narrower query."
)
