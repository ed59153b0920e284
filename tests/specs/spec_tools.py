"""A tool module referenced by spec tests as 'spec_tools:word_count'."""


def word_count(text: str) -> int:
    """Count the words of a text."""
    return len(text.split())
