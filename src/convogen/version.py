"""The version of convogen (the classic ``autogen.version`` module path)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
