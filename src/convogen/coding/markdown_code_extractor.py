"""Classic ``autogen.coding.markdown_code_extractor``: code blocks from markdown fences."""

from __future__ import annotations

from typing import Any

from convogen.code.extract import CODE_BLOCK_PATTERN, UNKNOWN, find_code, infer_lang
from convogen.coding.base import CodeBlock
from convogen.messages import content_str

__all__ = ["CODE_BLOCK_PATTERN", "UNKNOWN", "MarkdownCodeExtractor"]


class MarkdownCodeExtractor:
    """Finds the fenced code blocks of a message (untagged blocks get a guessed language)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError("MarkdownCodeExtractor takes no arguments")

    def extract_code_blocks(self, message: str | list[dict[str, Any]] | None) -> list[CodeBlock]:
        """The fenced code blocks of the message (none when it has no fence)."""
        blocks: list[CodeBlock] = []
        for lang, code in find_code(content_str(message)):
            if lang == UNKNOWN:
                continue  # find_code's "no fence at all" answer: the whole text, not code
            language = lang or infer_lang(code)
            blocks.append(CodeBlock(code=code, language="" if language == UNKNOWN else language))
        return blocks
