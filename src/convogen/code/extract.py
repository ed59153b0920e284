"""Finding code blocks in markdown text and guessing the language of untagged code."""

from __future__ import annotations

import ast
import re

from convogen.code.protocol import CodeBlock

UNKNOWN = "unknown"

# A fenced block: an opening fence of three or more backticks at the start of a line, an
# optional language tag, the body, and a closing fence of the same length on its own line.
# The backreference keeps a ```` fence from being closed by a shorter ``` inside the body.
CODE_BLOCK_PATTERN = (
    r"^[ \t]*(?P<fence>`{3,})[ \t]*(?P<lang>[\w+.#-]*)[^\n]*\n"
    r"(?P<code>.*?)^[ \t]*(?P=fence)[ \t]*$"
)

# Single-line code in backticks, used only when detect_single_line_code is set.
_SINGLE_LINE_PATTERN = re.compile(r"(?<!`)`(?!`)([^`\n]+)`(?!`)")

_ALIASES: dict[str, str] = {
    "py": "python",
    "python3": "python",
    "python": "python",
    "bash": "sh",
    "shell": "sh",
    "sh": "sh",
    "zsh": "sh",
    "console": "sh",
}

# First words that make an untagged block a shell command rather than Python.
_SHELL_STARTS: tuple[str, ...] = (
    "pip ",
    "pip3 ",
    "python ",
    "python3 ",
    "apt-get ",
    "apt ",
    "ls",
    "cd ",
    "echo ",
    "cat ",
    "mkdir ",
    "rm ",
    "cp ",
    "mv ",
    "export ",
    "curl ",
    "wget ",
    "git ",
    "chmod ",
    "#!/bin/sh",
    "#!/bin/bash",
    "#!/usr/bin/env bash",
)


def normalize_language(lang: str) -> str:
    """Map a fence tag to a canonical language ('py' -> 'python', 'bash' -> 'sh')."""
    key = lang.strip().lower()
    return _ALIASES.get(key, key)


def infer_lang(code: str) -> str:
    """Guess the language of untagged code: 'sh', 'python' or UNKNOWN."""
    stripped = code.strip()
    if not stripped:
        return UNKNOWN
    first = stripped.splitlines()[0].strip()
    if first == "ls" or first.startswith(_SHELL_STARTS):
        return "sh"
    try:
        ast.parse(stripped)
    except (SyntaxError, ValueError):
        return UNKNOWN
    return "python"


def find_code(
    text: str,
    pattern: str = CODE_BLOCK_PATTERN,
    detect_single_line_code: bool = False,
) -> list[tuple[str, str]]:
    """(language tag as written, code) of each block, in order.

    Without blocks: [(UNKNOWN, text)]; with detect_single_line_code, `inline code` outside
    the blocks counts too and no code at all gives [] (both as in AutoGen 0.2).
    """
    text = text.replace("\r\n", "\n")
    found: list[tuple[int, str, str]] = []
    fences: list[tuple[int, int]] = []
    for match in re.compile(pattern, re.DOTALL | re.MULTILINE).finditer(text):
        groups = match.groupdict()
        code, lang = groups.get("code"), groups.get("lang")
        if code is None:
            # A custom pattern without named groups: (lang, code) by position.
            lang, code = match.group(1), match.group(2)
        found.append((match.start(), (lang or "").strip(), code.rstrip("\n")))
        fences.append(match.span())
    if detect_single_line_code:
        for inline in _SINGLE_LINE_PATTERN.finditer(text):
            if not any(start <= inline.start() < end for start, end in fences):
                found.append((inline.start(), "", inline.group(1).strip()))
        return [(lang, code) for _, lang, code in sorted(found, key=lambda item: item[0])]
    if not found:
        # Same contract as AutoGen 0.2: no fence means "the whole text, language unknown".
        return [(UNKNOWN, text)]
    return [(lang, code) for _, lang, code in found]


def extract_code(
    text: str,
    pattern: str = CODE_BLOCK_PATTERN,
    detect_single_line_code: bool = False,
) -> list[CodeBlock]:
    """Return the fenced code blocks of text; text without fences yields one UNKNOWN block."""
    blocks: list[CodeBlock] = []
    found = find_code(text, pattern, detect_single_line_code) or [(UNKNOWN, text)]
    for lang, code in found:
        language = normalize_language(lang) or infer_lang(code)
        blocks.append(CodeBlock(code=code, language=language))
    return blocks


def content_has_code(text: str) -> bool:
    """Whether text contains at least one fenced code block (of any language)."""
    regex = re.compile(CODE_BLOCK_PATTERN, re.DOTALL | re.MULTILINE)
    return regex.search(text.replace("\r\n", "\n")) is not None
