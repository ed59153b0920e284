"""The classic top-level names of ``autogen``, and that ``import convogen`` stays light."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import convogen as autogen


def _modules_loaded_by_import_convogen() -> set[str]:
    code = "import sys, convogen; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_convogen_leaves_classic_modules_unloaded() -> None:
    loaded = _modules_loaded_by_import_convogen()
    for lazy in ("convogen.oai", "convogen.cache", "convogen.llm.completion", "openai"):
        assert lazy not in loaded


@pytest.mark.parametrize("name", ["oai", "cache", "token_count_utils", "types", "version"])
def test_classic_submodules_are_attributes(name: str) -> None:
    assert isinstance(getattr(autogen, name), types.ModuleType)


def test_classic_names_load_on_first_access() -> None:
    from convogen.cache import Cache
    from convogen.llm.completion import ChatCompletion, Completion

    assert autogen.Cache is Cache
    assert (autogen.Completion, autogen.ChatCompletion) == (Completion, ChatCompletion)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = autogen.no_such_name  # type: ignore[attr-defined]


def test_classic_exceptions_are_top_level() -> None:
    with pytest.raises(autogen.NoEligibleSpeaker):
        raise autogen.NoEligibleSpeaker()


def test_version_matches_the_package() -> None:
    assert autogen.__version__ == autogen.version.__version__
