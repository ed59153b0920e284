"""0.2's one-shot code-generation helpers (openai<1 era) over ``convogen.llm.Completion``.

Each returns the model's text with the dollar cost of the calls, as 0.2 did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from convogen.code.extract import CODE_BLOCK_PATTERN, find_code
from convogen.code.one_shot import execute_code

DEFAULT_MODEL = "gpt-4"
FAST_MODEL = "gpt-3.5-turbo"

AssertionSource = str | Callable[[str], tuple[str, float]] | None

_IMPROVE_FUNCTION_PROMPT = (
    "Improve the function '{func_name}' to achieve the objective '{objective}'.\n"
    "The current implementation of the function is as follows:\n{file_string}"
)
_IMPROVE_CODE_PROMPT = (
    "Analyze the code in the following files and return a list of suggestions for "
    "improvement{followup}, to achieve the objective of '{objective}'.\n{code}\n"
)
_ASSERTIONS_PROMPT = (
    "Given the signature and docstring, write the exactly same number of assertion(s) for "
    "the provided example(s) in the docstring, without assertion messages.\n\n"
    "func signature:\n{definition}\nassertions:"
)
_FUNC_COMPLETION_PROMPT = "# Python 3{definition}"
_FUNC_COMPLETION_STOP = ["\nclass", "\ndef", "\nif", "\nprint"]
_IMPLEMENT_CONFIGS: list[dict[str, Any]] = [
    {"model": FAST_MODEL, "prompt": _FUNC_COMPLETION_PROMPT, "temperature": 0},
    {"model": FAST_MODEL, "prompt": _FUNC_COMPLETION_PROMPT, "stop": _FUNC_COMPLETION_STOP, "n": 7},
    {"model": DEFAULT_MODEL, "prompt": _FUNC_COMPLETION_PROMPT, "temperature": 0},
    {
        "model": DEFAULT_MODEL,
        "prompt": _FUNC_COMPLETION_PROMPT,
        "stop": _FUNC_COMPLETION_STOP,
        "n": 2,
    },
]


def _complete(context: dict[str, Any] | None, **config: Any) -> tuple[list[str], float]:
    """Texts of every choice and the dollar cost of one completion."""
    from convogen.llm.completion import Completion

    response = Completion.create(context, **config)
    return Completion.extract_text(response), float(response.cost or 0.0)


def generate_code(
    pattern: str = CODE_BLOCK_PATTERN, **config: Any
) -> tuple[list[tuple[str, str]], float]:
    """Ask the model for code: ([(language, code), ...] of its first answer, cost)."""
    texts, cost = _complete(None, **config)
    return find_code(texts[0], pattern), cost


def improve_function(
    file_name: str | Path, func_name: str, objective: str, **config: Any
) -> tuple[str, float]:
    """Ask the model to improve one function of a file: (answer, cost)."""
    context = {
        "func_name": func_name,
        "objective": objective,
        "file_string": Path(file_name).read_text(encoding="utf-8"),
    }
    texts, cost = _complete(context, **{"prompt": _IMPROVE_FUNCTION_PROMPT, **config})
    return texts[0], cost


def improve_code(
    files: Sequence[str | Path], objective: str, suggest_only: bool = True, **config: Any
) -> tuple[str, float]:
    """Ask the model for suggestions (or improved code) for files: (answer, cost)."""
    code = "".join(f"{name}:\n{Path(name).read_text(encoding='utf-8')}\n\n" for name in files)
    followup = "" if suggest_only else " followed by the improved code"
    context = {"objective": objective, "code": code, "followup": followup}
    texts, cost = _complete(context, **{"prompt": _IMPROVE_CODE_PROMPT, **config})
    return texts[0], cost


def generate_assertions(definition: str, **config: Any) -> tuple[str, float]:
    """Ask the model for assertions matching a function's docstring examples: (code, cost)."""
    params = {"prompt": _ASSERTIONS_PROMPT, "max_tokens": 256, "stop": "\n\n", **config}
    texts, cost = _complete({"definition": definition}, **params)
    return texts[0], cost


def _without_check(response: str) -> str:
    """Drop a `def check(` the model appended: the real check comes from the test."""
    pos = response.find("def check(")
    return response if pos == -1 else response[:pos]


def _program(definition: str, response: str, tail: str) -> str:
    body = response if response.startswith("def") else f"{definition}{response}"
    return f"{body}\n{tail}"


def _passes(code: str, timeout: float | None, use_docker: Any) -> bool:
    return execute_code(code, timeout=int(timeout or 3), use_docker=use_docker)[0] == 0


def eval_function_completions(
    responses: list[str],
    definition: str,
    test: str | None = None,
    entry_point: str | None = None,
    assertions: AssertionSource = None,
    timeout: float | None = 3,
    use_docker: bool | None = True,
) -> dict[str, Any]:
    """Pick the first response passing the assertions and/or score responses with a test."""
    n = len(responses)
    check = f"{test}\ncheck({entry_point})"
    if assertions is None:
        passed = [
            _passes(_program(definition, _without_check(r), check), timeout, use_docker)
            for r in responses
        ]
        rate = sum(passed) / n
        return {"expected_success": 1 - pow(1 - rate, n), "success": any(passed)}
    gen_cost = 0.0
    if callable(assertions):
        assertions, gen_cost = assertions(definition) if n > 1 else (None, 0.0)
    index, succeeded = 0, False
    if n > 1 or test is None:
        for index, raw in enumerate(responses):
            responses[index] = _without_check(raw)
            code = _program(definition, responses[index], str(assertions))
            if _passes(code, timeout, use_docker):
                succeeded = True
                break
    metrics: dict[str, Any] = {
        "index_selected": index,
        "succeed_assertions": succeeded,
        "gen_cost": gen_cost,
        "assertions": assertions,
    }
    if test is not None:
        code = _program(definition, responses[index], check)
        metrics["success"] = _passes(code, timeout, use_docker)
    return metrics


class PassAssertionFilter:
    """A completion filter keeping responses that pass the assertions."""

    def __init__(self, assertions: AssertionSource) -> None:
        self._assertions = assertions
        self.cost = 0.0
        self.metrics: dict[str, Any] | None = None
        self.responses: list[str] | None = None

    def pass_assertions(self, context: dict[str, Any], response: Any, **_: Any) -> bool:
        """Whether one of the response's choices passes the assertions."""
        from convogen.llm.completion import Completion

        responses = Completion.extract_text(response)
        metrics = eval_function_completions(
            responses, context["definition"], assertions=self._assertions
        )
        self._assertions = metrics["assertions"]
        self.cost += metrics["gen_cost"]
        self.metrics, self.responses = metrics, responses
        return bool(metrics["succeed_assertions"])


def implement(
    definition: str,
    configs: list[dict[str, Any]] | None = None,
    assertions: AssertionSource = generate_assertions,
) -> tuple[str, float, int]:
    """Implement a function from its definition: (code, cost, index of the config used)."""
    from convogen.llm.completion import Completion

    configs = configs or _IMPLEMENT_CONFIGS
    cost = 0.0
    if len(configs) > 1 and callable(assertions):
        assertions, cost = assertions(definition)
    chosen = PassAssertionFilter(assertions)
    for index, config in enumerate(configs):
        response = Completion.create({"definition": definition}, **config)
        cost += float(response.cost or 0.0)
        passed = chosen.pass_assertions({"definition": definition}, response)
        if passed or index == len(configs) - 1:
            break
    cost += chosen.cost
    assert chosen.responses is not None and chosen.metrics is not None
    return chosen.responses[chosen.metrics["index_selected"]], cost, index
