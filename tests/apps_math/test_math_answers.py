"""Boxed-answer extraction, MATH-style normalisation and answer equivalence."""

import pytest

from convogen.apps.math import (
    extract_answer,
    is_equiv,
    last_boxed_only_string,
    normalize_answer,
    remove_boxed,
)
from convogen.apps.math.answers import to_number

EQUIVALENT = [
    ("\\frac{1}{2}", "0.5"),
    ("\\frac12", "1/2"),
    ("\\dfrac{1}{2}", "\\frac{1}{2}"),
    ("\\tfrac{3}{4}", "0.75"),
    ("1/2", "0.50"),
    ("x=5", "5"),
    ("k = 5", "5"),
    ("5.0", "5"),
    ("5.00", "5"),
    ("2.50", "2.5"),
    (".5", "0.5"),
    ("50\\%", "50"),
    ("50%", "50"),
    ("\\$18.90", "18.9"),
    ("$18$", "18"),
    ("90^\\circ", "90"),
    ("90^{\\circ}", "90"),
    ("45 degrees", "45"),
    ("5 \\text{ cm}", "5"),
    ("12\\mbox{ inches}", "12"),
    ("\\text{Monday}", "Monday"),
    ("\\left( 1, 2 \\right)", "(1,2)"),
    ("(0.5, 3)", "(\\frac{1}{2}, 3)"),
    ("1,000", "1000"),
    ("1,234,567", "1234567"),
    ("\\frac{-3}{4}", "-\\frac{3}{4}"),
    ("-0.75", "-\\frac{3}{4}"),
    ("2\\sqrt{2}", "\\sqrt{8}"),
    ("\\sqrt2", "\\sqrt{2}"),
    ("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt3}{2}"),
    ("2^{10}", "1024"),
    ("3 \\cdot 4", "12"),
    ("\\boxed{7}", "7"),
    ("10\\,000", "10000"),
    ("2\\pi", "\\pi \\cdot 2"),
]

DIFFERENT = [
    ("1/2", "1/3"),
    ("5", "6"),
    ("(1,2)", "(2,1)"),
    ("(1,2)", "(1,2,3)"),
    ("\\pi", "3.14"),
    ("\\frac{1}{2}", "\\frac{2}{1}"),
    ("2x+1=5", "5"),
    ("\\text{Monday}", "Tuesday"),
    ("\\sqrt{2}", "1.41"),
]


@pytest.mark.parametrize(("a", "b"), EQUIVALENT)
def test_equivalent_answers(a: str, b: str) -> None:
    assert is_equiv(a, b), (normalize_answer(a), normalize_answer(b))
    assert is_equiv(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_answers(a: str, b: str) -> None:
    assert not is_equiv(a, b), (normalize_answer(a), normalize_answer(b))


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("\\dfrac12", "\\frac{1}{2}"),
        (" x = 3/4 ", "\\frac{3}{4}"),
        ("\\left[0, 1\\right)", "[0,1)"),
        ("100.000", "100"),
        ("\\$5", "5"),
        ("", ""),
        ("-0.00", "0"),
        ("-.25", "-0.25"),
    ],
)
def test_normalised_forms(raw: str, normal: str) -> None:
    assert normalize_answer(raw) == normal


def test_none_answers() -> None:
    assert normalize_answer(None) == ""
    assert not is_equiv(None, "5")
    assert not is_equiv("", "0")
    assert is_equiv(None, None)


def test_last_boxed_only_string_balances_braces_and_takes_the_last() -> None:
    text = "First \\boxed{1}, then \\boxed{\\frac{1}{2}} is final."
    assert last_boxed_only_string(text) == "\\boxed{\\frac{1}{2}}"
    assert last_boxed_only_string("so \\fbox{42}.") == "\\fbox{42}"
    assert last_boxed_only_string("the answer is \\boxed 5$.") == "\\boxed 5"
    assert last_boxed_only_string("no answer here") is None
    assert last_boxed_only_string("unclosed \\boxed{12") is None


def test_remove_boxed() -> None:
    assert remove_boxed("\\boxed{\\frac{1}{2}}") == "\\frac{1}{2}"
    assert remove_boxed("\\boxed 5") == "5"
    assert remove_boxed("\\fbox{x}") == "x"
    with pytest.raises(ValueError, match="boxed='5'"):
        remove_boxed("5")


def test_extract_answer() -> None:
    assert extract_answer("It is \\boxed{\\{1, 2\\}}.") == "\\{1, 2\\}"
    assert extract_answer("nothing boxed") is None


def test_numbers_are_exact_where_possible() -> None:
    from fractions import Fraction

    assert to_number("\\frac{1}{3}") == Fraction(1, 3)
    assert to_number("2^{-2}") == Fraction(1, 4)
    assert to_number("\\sqrt{9}") == 3
    assert to_number("x+1") is None
    assert to_number("1/0") is None
    assert to_number("2^{1000}") is None  # refuses huge powers instead of hanging
