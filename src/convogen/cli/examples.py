"""``convogen example``: the examples shipped inside the package, found from any install."""

from __future__ import annotations

import runpy
import sys
from importlib import resources

from convogen.errors import ConfigError

EXAMPLES_PACKAGE = "convogen.examples"


def list_examples() -> list[str]:
    """Names of the shipped examples, sorted."""
    folder = resources.files(EXAMPLES_PACKAGE)
    return sorted(
        entry.name.removesuffix(".py")
        for entry in folder.iterdir()
        if entry.name.endswith(".py") and not entry.name.startswith("_")
    )


def run_example(name: str, args: list[str]) -> None:
    """Run example ``name`` as a script with ``args`` as its command line."""
    available = list_examples()
    if name not in available:
        raise ConfigError("example", name, f"unknown; available: {', '.join(available)}")
    saved = sys.argv
    sys.argv = [f"convogen example {name}", *args]
    try:
        with resources.as_file(resources.files(EXAMPLES_PACKAGE) / f"{name}.py") as path:
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = saved
