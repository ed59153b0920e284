"""Finding, normalising and comparing final answers of competition-style math problems."""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from fractions import Fraction

Number = Fraction | float

# Relative tolerance for answers that only evaluate to floats (square roots, pi).
FLOAT_TOLERANCE = 1e-9


def last_boxed_only_string(text: str) -> str | None:
    """The last ``\\boxed{...}`` (or ``\\fbox{...}``) in ``text``, braces balanced, or None."""
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    # "\boxed 5" (no braces) runs to the next space or dollar sign.
    rest = text[start:]
    if rest.startswith("\\boxed ") and not rest.startswith("\\boxed {"):
        word = rest[len("\\boxed ") :].split("$")[0].split()
        return "\\boxed " + word[0] if word else None
    open_at = text.find("{", start)
    if open_at < 0:
        return None
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return None


def remove_boxed(boxed: str) -> str:
    """The content of a ``\\boxed{...}`` string; raises ValueError naming a malformed input."""
    for prefix in ("\\boxed ", "\\boxed{", "\\fbox{"):
        if boxed.startswith(prefix):
            if prefix.endswith(" "):
                return boxed[len(prefix) :].strip()
            if not boxed.endswith("}"):
                break
            return boxed[len(prefix) : -1]
    raise ValueError(f"boxed={boxed!r}: expected '\\boxed{{...}}' or '\\fbox{{...}}'")


def extract_answer(text: str) -> str | None:
    """The content of the last boxed expression in ``text``, or None when there is none."""
    boxed = last_boxed_only_string(text)
    if boxed is None:
        return None
    try:
        return remove_boxed(boxed)
    except ValueError:
        return None


_UNIT_WORDS = (
    "degrees",
    "degree",
    "units",
    "unit",
    "cm",
    "meters",
    "inches",
    "feet",
    "dollars",
    "cents",
    "minutes",
    "hours",
    "seconds",
    "square",
)
_TEXT_COMMAND = re.compile(r"\\(?:text|textbf|mbox|mathrm)\{([^{}]*)\}")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_SIMPLE_FRACTION = re.compile(r"^(-?\d+)/(\d+)$")
_DECIMAL = re.compile(r"^-?\d*\.\d+$")


def _unwrap_text(answer: str) -> str:
    """Drop a trailing unit written as text; unwrap any other ``\\text{...}``."""
    trailing = re.search(r"\\(?:text|mbox|mathrm)\{[^{}]*\}$", answer)
    if trailing and re.search(r"[\d}]\s*$", answer[: trailing.start()]):
        answer = answer[: trailing.start()]
    return _TEXT_COMMAND.sub(r"\1", answer)


def _fix_fracs(answer: str) -> str:
    """Write ``\\frac12`` and ``\\frac1{b}`` with braces, as ``\\frac{1}{2}``."""
    parts = answer.split("\\frac")
    rebuilt = parts[0]
    for part in parts[1:]:
        rebuilt += "\\frac"
        if part.startswith("{") or len(part) < 2:
            rebuilt += part
            continue
        numerator, rest = part[0], part[1:]
        if rest.startswith("{"):
            rebuilt += "{" + numerator + "}" + rest
        else:
            rebuilt += "{" + numerator + "}{" + rest[0] + "}" + rest[1:]
    return rebuilt


def _fix_sqrt(answer: str) -> str:
    """Write ``\\sqrt3`` as ``\\sqrt{3}``."""
    return re.sub(r"\\sqrt(\w)", r"\\sqrt{\1}", answer)


def _strip_trailing_zeros(answer: str) -> str:
    """'2.50' -> '2.5', '5.0' -> '5', '.5' -> '0.5'; anything else unchanged."""
    if not (_DECIMAL.match(answer) or re.match(r"^-?\d+\.\d*$", answer)):
        return answer
    stripped = answer.rstrip("0").rstrip(".")
    if stripped in ("", "-", "-0"):
        return "0"  # ".0", "-0.00"
    if stripped.startswith("-."):
        return "-0" + stripped[1:]
    return "0" + stripped if stripped.startswith(".") else stripped


def normalize_answer(answer: str | None) -> str:
    """A canonical string for a MATH-style answer, so equal answers compare equal as text."""
    if answer is None:
        return ""
    text = answer.strip()
    boxed = extract_answer(text)
    if boxed is not None:
        text = boxed
    text = text.replace("\n", "").replace("\\!", "").replace("\\\\", "\\")
    for spacing in ("\\,", "\\;", "\\:", "\\ ", "~"):
        text = text.replace(spacing, "")
    text = text.replace("\\left", "").replace("\\right", "")
    text = text.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    text = text.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "")
    text = text.replace("\\$", "").replace("$", "")
    text = text.replace("\\%", "").replace("%", "")
    text = _unwrap_text(text)
    words = "|".join(_UNIT_WORDS)
    text = re.sub(rf"(?<=[\d}}])\s*(?:{words})\s*$", "", text)
    text = text.replace(" ", "")
    # "x=5" and "k = 5" mean the value; a longer left side ("2x+1=5") is kept whole.
    if text.count("=") == 1:
        left, right = text.split("=")
        if len(left) <= 2 and right:
            text = right
    text = _fix_sqrt(_fix_fracs(text))
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    text = _strip_trailing_zeros(text)
    simple = _SIMPLE_FRACTION.match(text)
    if simple:
        text = f"\\frac{{{simple.group(1)}}}{{{simple.group(2)}}}"
    if text.startswith("\\frac{-"):
        text = "-\\frac{" + text[len("\\frac{-") :]
    return text


def is_equiv(a: str | None, b: str | None) -> bool:
    """True when two answers are the same after normalisation or as numbers."""
    if a is None or b is None:
        return a is None and b is None
    left, right = normalize_answer(a), normalize_answer(b)
    if left == right:
        return True
    left_items, right_items = _split_tuple(left), _split_tuple(right)
    if left_items is not None and right_items is not None:
        return len(left_items) == len(right_items) and all(
            _same_value(x, y) for x, y in zip(left_items, right_items, strict=True)
        )
    return _same_value(left, right)


def _split_tuple(text: str) -> list[str] | None:
    """The items of ``(a,b)`` or ``[a,b]`` split at top-level commas, or None."""
    if len(text) < 2 or text[0] not in "([" or text[-1] not in ")]":
        return None
    items, depth, current = [], 0, ""
    for char in text[1:-1]:
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return items if len(items) > 1 else None


def _same_value(a: str, b: str) -> bool:
    if a == b:
        return True
    x, y = to_number(a), to_number(b)
    if x is None or y is None:
        return False
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return x == y
    return math.isclose(float(x), float(y), rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)


def to_number(answer: str) -> Number | None:
    """The value of a normalised numeric answer (fractions, roots, pi), or None."""
    expression = _latex_to_python(normalize_answer(answer))
    if expression is None:
        return None
    try:
        tree = ast.parse(expression, mode="eval")
        return _evaluate(tree.body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None


def _latex_to_python(text: str) -> str | None:
    """Translate a small arithmetic subset of LaTeX to a Python expression, or None."""
    if not text:
        return None
    expression = text
    for _ in range(8):  # nested fractions and roots, innermost first
        before = expression
        expression = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", expression)
        expression = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", expression)
        if expression == before:
            break
    expression = expression.replace("\\cdot", "*").replace("\\times", "*")
    expression = expression.replace("\\pi", "pi").replace("^", "**")
    expression = expression.replace("{", "(").replace("}", ")")
    # Implicit multiplication: "2pi", "3sqrt(2)", "2(3)".
    expression = re.sub(r"(\d|\))\s*(pi|sqrt|\()", r"\1*\2", expression)
    if re.search(r"[^\d\s.+\-*/()a-z]", expression) or re.search(
        r"[a-z]+", expression.replace("sqrt", "").replace("pi", "")
    ):
        return None
    return expression


_BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
}


def _evaluate(node: ast.expr) -> Number:
    """Evaluate +, -, *, /, ** on exact fractions; sqrt and pi fall back to floats."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Fraction(str(node.value))
    if isinstance(node, ast.Name) and node.id == "pi":
        return math.pi
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            if abs(float(right)) > 64:
                raise ValueError(f"exponent={right}: too large to evaluate")
            if (
                isinstance(left, Fraction)
                and isinstance(right, Fraction)
                and right.denominator == 1
            ):
                return left ** int(right)
            power: float = float(left) ** float(right)  # complex roots raise TypeError
            return float(power)
        operation = _BINARY.get(type(node.op))
        if operation is not None:
            return operation(left, right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "sqrt"
        and len(node.args) == 1
    ):
        value = _evaluate(node.args[0])
        root = math.sqrt(float(value))
        exact = Fraction(str(root)).limit_denominator(10**6)
        return exact if exact * exact == value else root
    raise ValueError(f"node={ast.dump(node)}: not a supported arithmetic expression")
