"""Classic ``autogen.oai.client_utils``: parameter checks for custom model clients."""

from convogen.llm.params import should_hide_tools, validate_parameter

__all__ = ["should_hide_tools", "validate_parameter"]
