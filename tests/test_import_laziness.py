"""``import convogen`` loads the agent layer only; everything else resolves on first use."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

import convogen
import convogen.llm

# Modules that ``import convogen`` must leave for first use (each costs milliseconds).
DEFERRED = (
    "asyncio",
    "ssl",
    "socket",
    "logging",
    "pydantic",
    "openai",
    "httpx",
    "aiohttp",
    "sqlite3",
    "convogen.groupchat",
    "convogen.chat",
    "convogen.llm.wrapper",
    "convogen.llm.cache",
    "convogen.llm.config_list",
)


def loaded_after(statement: str) -> set[str]:
    """The module names a fresh interpreter holds after running ``statement``."""
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


def test_import_convogen_leaves_heavy_modules_for_first_use() -> None:
    loaded = loaded_after("import convogen")
    assert sorted(loaded.intersection(DEFERRED)) == []


def test_llm_config_does_not_load_the_model_wrapper() -> None:
    loaded = loaded_after("import convogen.llm.config")
    assert "convogen.llm.wrapper" not in loaded
    assert "convogen.llm.cache" not in loaded


def test_first_agent_classes_load_without_asyncio() -> None:
    loaded = loaded_after("from convogen import AssistantAgent, GroupChat, GroupChatManager")
    assert "convogen.groupchat" in loaded
    assert "asyncio" not in loaded


@pytest.mark.parametrize("name", convogen.__all__)
def test_every_public_name_resolves_and_is_listed(name: str) -> None:
    assert getattr(convogen, name) is not None
    assert name in dir(convogen)


def test_lazy_names_are_the_objects_of_their_modules() -> None:
    from convogen.groupchat import GroupChat
    from convogen.llm.config_list import config_list_from_json
    from convogen.llm.wrapper import OpenAIWrapper

    assert convogen.GroupChat is GroupChat
    assert convogen.OpenAIWrapper is OpenAIWrapper
    assert convogen.config_list_from_json is config_list_from_json


def test_classic_logger_name_is_the_package_logger() -> None:
    # In a fresh interpreter: importing the ``convogen.logger`` subpackage rebinds the name,
    # as it always has, and another test may have imported it already.
    code = "import convogen; print(convogen.logger is convogen.logging.getLogger('convogen'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = convogen.no_such_name
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = convogen.llm.no_such_name


@pytest.mark.parametrize("name", convogen.llm.__all__)
def test_every_llm_name_resolves_and_is_listed(name: str) -> None:
    assert getattr(convogen.llm, name) is not None
    assert name in dir(convogen.llm)


def test_star_import_binds_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from convogen import *", namespace)
    assert set(convogen.__all__) <= set(namespace)


def test_default_retry_sleeper_waits_with_asyncio() -> None:
    from convogen.llm.retry import RetryPolicy

    loop = asyncio.new_event_loop()
    try:
        start = loop.time()
        loop.run_until_complete(RetryPolicy().sleep(0.02))
        assert loop.time() - start >= 0.015
    finally:
        loop.close()


def test_run_sync_runs_a_coroutine_without_asyncio_imported_first() -> None:
    code = (
        "from convogen._sync import run_sync\n"
        "async def answer():\n    return 42\n"
        "print(run_sync(answer()))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "42"
