"""Extracting fenced code blocks and guessing languages."""

from __future__ import annotations

import pytest

from convogen.code import UNKNOWN, CodeBlock, content_has_code, extract_code, infer_lang


def test_python_block_with_surrounding_text() -> None:
    text = "Run this:\n```python\nprint('hi')\n```\nthen tell me."
    assert extract_code(text) == [CodeBlock(code="print('hi')", language="python")]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("py", "python"),
        ("python", "python"),
        ("Python", "python"),
        ("python3", "python"),
        ("sh", "sh"),
        ("bash", "sh"),
        ("shell", "sh"),
        ("perl", "perl"),
        ("json", "json"),
    ],
)
def test_language_aliases_are_normalised(tag: str, expected: str) -> None:
    blocks = extract_code(f"```{tag}\nsome code\n```")
    assert blocks == [CodeBlock(code="some code", language=expected)]


def test_several_blocks_keep_their_order() -> None:
    text = "```sh\npip install x\n```\nand\n```py\nimport x\nx.run()\n```\n"
    assert extract_code(text) == [
        CodeBlock("pip install x", "sh"),
        CodeBlock("import x\nx.run()", "python"),
    ]


def test_untagged_block_gets_an_inferred_language() -> None:
    text = "```\npip install requests\n```\n```\nx = 1\nprint(x)\n```\n```\nthis is: not code(\n```"
    assert [b.language for b in extract_code(text)] == ["sh", "python", UNKNOWN]


def test_text_without_fences_is_one_unknown_block() -> None:
    assert extract_code("just words") == [CodeBlock("just words", UNKNOWN)]
    assert not content_has_code("just words")


def test_content_has_code() -> None:
    assert content_has_code("x\n```python\n1\n```")
    assert content_has_code("```perl\nprint 1;\n```")
    assert not content_has_code("inline `code` only")


def test_longer_fence_may_contain_a_shorter_one() -> None:
    text = "````markdown\n```python\nx\n```\n````"
    assert extract_code(text) == [CodeBlock("```python\nx\n```", "markdown")]


def test_crlf_text_is_handled() -> None:
    text = "```python\r\nprint(1)\r\n```\r\n"
    assert extract_code(text) == [CodeBlock("print(1)", "python")]


def test_unclosed_fence_is_not_a_block() -> None:
    assert extract_code("```python\nprint(1)\n") == [CodeBlock("```python\nprint(1)\n", UNKNOWN)]


def test_single_line_code_only_when_asked() -> None:
    text = "Please run `ls -la` now"
    assert extract_code(text) == [CodeBlock(text, UNKNOWN)]
    assert extract_code(text, detect_single_line_code=True) == [CodeBlock("ls -la", "sh")]


def test_custom_pattern_with_positional_groups() -> None:
    pattern = r"<code lang=(\w+)>(.*?)</code>"
    assert extract_code("<code lang=py>x=1</code>", pattern=pattern) == [CodeBlock("x=1", "python")]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pip install numpy", "sh"),
        ("python script.py", "sh"),
        ("ls", "sh"),
        ("ls -la /tmp", "sh"),
        ("import os\nprint(os.getcwd())", "python"),
        ("x = [i for i in range(3)]", "python"),
        ("def f(:\n  pass", UNKNOWN),
        ("", UNKNOWN),
    ],
)
def test_infer_lang(code: str, expected: str) -> None:
    assert infer_lang(code) == expected
