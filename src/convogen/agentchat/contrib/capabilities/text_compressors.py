"""Classic ``autogen.agentchat.contrib.capabilities.text_compressors``."""

from convogen.agents.transforms.compress import LLMLingua, TextCompressor, llmlingua_import_error

# None when LLMLingua is installed, else the ImportError that using it raises.
IMPORT_ERROR: ImportError | None = llmlingua_import_error()

__all__ = ["IMPORT_ERROR", "LLMLingua", "TextCompressor"]
