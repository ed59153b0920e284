"""The static safeguard: plain model edits pass, anything reaching out is DANGER."""

from __future__ import annotations

import pytest

from convogen.apps.optiguide import check_code, parse_verdict


@pytest.mark.parametrize(
    "code",
    [
        'model.demand["C2"] += 30',
        'import math\nmodel.supply["F1"] = math.floor(model.supply["F1"] * 0.8)',
        "for w in model.capacity:\n    model.capacity[w] *= 1.1",
        'model.closed.append("W3")\nmodel.forced_open = ["W2"]',
        "def scale(d, k):\n    return {x: v * k for x, v in d.items()}\n"
        "model.demand = scale(model.demand, 2)",
    ],
)
def test_model_edits_are_safe(code: str) -> None:
    report = check_code(code)
    assert report.safe, report.issues
    assert report.verdict == "SAFE"


@pytest.mark.parametrize(
    ("code", "issue"),
    [
        ('open("canary.txt", "w").write("x")', "builtin 'open'"),
        ('import os\nos.system("rm -rf /")', "imports 'os'"),
        ("import subprocess", "imports 'subprocess'"),
        ("from socket import socket", "imports from 'socket'"),
        ('eval("1+1")', "builtin 'eval'"),
        ('exec("x = 1")', "builtin 'exec'"),
        ('__import__("os")', "'__import__'"),
        ("().__class__.__base__.__subclasses__()", "private attribute '__class__'"),
        ('getattr(model, "demand")', "builtin 'getattr'"),
        ("solve = lambda m: None", "rebinds 'solve'"),
        ("def print(*a):\n    pass", "redefines 'print'"),
        ("import pathlib\npathlib.Path('x').write_text('y')", "imports 'pathlib'"),
        ("x = '__builtins__'", "dunder string"),
    ],
)
def test_dangerous_code_is_flagged(code: str, issue: str) -> None:
    report = check_code(code)
    assert not report.safe and report.verdict == "DANGER"
    assert any(issue in i for i in report.issues), report.issues
    assert report.issues[0].startswith("line ")


def test_syntax_errors_are_not_safe_but_marked_as_such() -> None:
    report = check_code("model.demand[ = 3")
    assert not report.safe and report.syntax_error


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ("SAFE", "SAFE"),
        ("safe.", "SAFE"),
        ("DANGER", "DANGER"),
        ("It is SAFE... no wait, DANGER", "DANGER"),
        ("I am not sure", "DANGER"),
        ("UNSAFE", "DANGER"),
    ],
)
def test_safeguard_replies_fail_closed(reply: str, verdict: str) -> None:
    assert parse_verdict(reply) == verdict
