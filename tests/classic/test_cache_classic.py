"""The classic cache API (``Cache.disk``, ``DiskCache``, ...) and cache-entry integrity."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from convogen import OpenAIWrapper
from convogen.cache import AbstractCache, Cache
from convogen.cache.cache_factory import CacheFactory
from convogen.cache.disk_cache import DiskCache
from convogen.cache.in_memory_cache import InMemoryCache

HELLO = [{"role": "user", "content": "hello"}]


def scripted(replies: list[str]) -> OpenAIWrapper:
    return OpenAIWrapper(config_list=[{"model": "m", "api_type": "scripted", "replies": replies}])


def _rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT key, value FROM cache"))


def _overwrite_all(path: Path, value: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE cache SET value = ?", (value,))


def test_disk_cache_answers_the_second_identical_create(tmp_path: Path) -> None:
    client = scripted(["first answer", "second answer"])
    with Cache.disk(cache_seed=7, cache_path_root=str(tmp_path)) as cache:
        first = client.create(messages=HELLO, cache=cache)
        second = client.create(messages=HELLO, cache=cache)
    assert first.choices[0].message.content == "first answer"
    assert second.choices[0].message.content == "first answer"
    assert second.cached and not first.cached


def test_disk_cache_lives_under_root_and_seed(tmp_path: Path) -> None:
    with Cache.disk(cache_seed=7, cache_path_root=str(tmp_path)) as cache:
        scripted(["x"]).create(messages=HELLO, cache=cache)
    assert len(_rows(tmp_path / "7" / "cache.sqlite3")) == 1


def test_corrupt_entry_is_a_logged_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "7" / "cache.sqlite3"
    with Cache.disk(7, str(tmp_path)) as cache:
        scripted(["old"]).create(messages=HELLO, cache=cache)
    _overwrite_all(db, "{not json")
    with caplog.at_level(logging.WARNING), Cache.disk(7, str(tmp_path)) as cache:
        response = scripted(["fresh"]).create(messages=HELLO, cache=cache)
    assert response.choices[0].message.content == "fresh" and not response.cached
    assert "not JSON" in caplog.text


def test_entry_failing_its_checksum_is_a_logged_miss(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "7" / "cache.sqlite3"
    with Cache.disk(7, str(tmp_path)) as cache:
        scripted(["original"]).create(messages=HELLO, cache=cache)
    stored = json.loads(_rows(db)[0][1])
    stored["value"] = stored["value"].replace("original", "tampered")
    _overwrite_all(db, json.dumps(stored))
    with caplog.at_level(logging.WARNING), Cache.disk(7, str(tmp_path)) as cache:
        response = scripted(["fresh"]).create(messages=HELLO, cache=cache)
    assert response.choices[0].message.content == "fresh"
    assert "checksum" in caplog.text


def test_new_entries_carry_checksum_and_version(tmp_path: Path) -> None:
    with Cache.disk(7, str(tmp_path)) as cache:
        cache.set("k", {"a": 1})
    stored = json.loads(_rows(tmp_path / "7" / "cache.sqlite3")[0][1])
    assert stored["version"] == "0.1.0" and len(stored["sha256"]) == 64


def test_cache_get_set_round_trip_and_default(tmp_path: Path) -> None:
    with Cache.disk(1, str(tmp_path)) as cache:
        cache.set("k", [1, "two"])
        assert cache.get("k") == [1, "two"]
        assert cache.get("missing", "fallback") == "fallback"


def test_cache_config_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        Cache({"cache_seed": 1, "colour": "red"})


def test_cache_config_stores_the_seed_as_text(tmp_path: Path) -> None:
    cache = Cache({"cache_seed": 9, "cache_path_root": str(tmp_path)})
    assert cache.config["cache_seed"] == "9"
    cache.close()


def test_classic_stores_are_context_managers_satisfying_abstract_cache(tmp_path: Path) -> None:
    with DiskCache(str(tmp_path / "seed")) as disk, InMemoryCache() as memory:
        for store in (disk, memory):
            assert isinstance(store, AbstractCache)
            store.set("k", "v")
            assert store.get("k") == "v"


def test_cache_factory_builds_a_disk_store_under_root(tmp_path: Path) -> None:
    store = CacheFactory.cache_factory("s", cache_path_root=str(tmp_path))
    store.set("k", 1)
    store.close()
    assert (tmp_path / "s" / "cache.sqlite3").is_file()


def test_cosmos_db_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Cosmos DB"):
        Cache.cosmos_db("conn", "container")


def test_disk_cache_passed_to_initiate_chat_answers_a_repeated_chat(tmp_path: Path) -> None:
    from convogen import AssistantAgent, UserProxyAgent, scripted_llm_config

    assistant = AssistantAgent(
        "assistant", llm_config=scripted_llm_config(["first TERMINATE", "second TERMINATE"])
    )
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=0
    )
    with Cache.disk(cache_seed=3, cache_path_root=str(tmp_path)) as cache:
        first = user.initiate_chat(assistant, message="hi", cache=cache, silent=True)
        second = user.initiate_chat(assistant, message="hi", cache=cache, silent=True)
    assert first.chat_history[-1]["content"] == "first TERMINATE"
    assert second.chat_history[-1]["content"] == "first TERMINATE"
