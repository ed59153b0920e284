"""Classic ``autogen.coding.utils``: file-name comments and quiet pip installs."""

from convogen.code.local_files import filename_patterns, silence_pip

__all__ = ["filename_patterns", "silence_pip"]
