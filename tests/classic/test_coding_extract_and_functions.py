"""Classic MarkdownCodeExtractor, code-block types and functions-with-requirements."""

from __future__ import annotations

import pytest

from convogen.coding import CodeBlock, CodeResult, MarkdownCodeExtractor
from convogen.coding.base import CommandLineCodeResult, IPythonCodeResult
from convogen.coding.func_with_reqs import (
    Alias,
    FunctionWithRequirements,
    ImportFromModule,
    to_stub,
    with_requirements,
)
from convogen.coding.utils import silence_pip


def test_extractor_returns_code_blocks_with_languages() -> None:
    message = "```python\nprint(1)\n```\nand\n```\nx = 2\n```"
    blocks = MarkdownCodeExtractor().extract_code_blocks(message)
    assert blocks == [
        CodeBlock(code="print(1)", language="python"),
        CodeBlock(code="x = 2", language="python"),  # untagged: guessed
    ]


def test_extractor_without_a_fence_finds_no_code_blocks() -> None:
    assert MarkdownCodeExtractor().extract_code_blocks("hi") == []


def test_code_types_are_keyword_pydantic_models() -> None:
    result = CommandLineCodeResult(exit_code=0, output="ok", code_file="a.py")
    assert isinstance(result, CodeResult) and result.code_file == "a.py"
    assert IPythonCodeResult(exit_code=1, output="x").output_files == []
    with pytest.raises(TypeError):
        CodeBlock("print(1)", "python")  # type: ignore[misc]


def test_with_requirements_keeps_the_function_callable() -> None:
    @with_requirements(python_packages=["pandas"], global_imports=["os"])
    def cwd_name() -> str:
        """Name of the cwd."""
        return "x"

    assert isinstance(cwd_name, FunctionWithRequirements)
    assert cwd_name() == "x"
    assert cwd_name.python_packages == ["pandas"] and cwd_name.__name__ == "cwd_name"


def test_from_str_needs_exactly_one_function() -> None:
    func = FunctionWithRequirements.from_str("def f(a: int) -> int:\n    return a\n")
    assert to_stub(func) == "def f(a: int) -> int:\n    ..."
    with pytest.raises(ValueError, match="exactly one function"):
        FunctionWithRequirements.from_str("x = 1")


def test_import_helpers_render_in_the_functions_module() -> None:
    from convogen.code.functions import functions_module_source

    func = FunctionWithRequirements.from_str(
        "def f():\n    return np.pi\n",
        global_imports=[Alias("numpy", "np"), ImportFromModule("os", ["path", Alias("sep", "s")])],
    )
    source = functions_module_source([func])
    assert source.startswith("import numpy as np\nfrom os import path, sep as s\n")


def test_silence_pip_adds_quiet_flag() -> None:
    assert silence_pip("pip install numpy", "sh") == "pip install -qqq numpy"
    assert silence_pip("!pip install numpy", "python") == "!pip install -qqq numpy"
    assert silence_pip("pip install numpy", "html") == "pip install numpy"
