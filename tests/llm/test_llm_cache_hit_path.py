"""The cache hit path: stable keys, entries of earlier versions, WAL on disk, memory copies."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from convogen.llm import Cache, OpenAIWrapper
from convogen.llm.cache import cache_key
from convogen.messages import Message

HELLO: list[Message] = [{"role": "user", "content": "hello there"}]


def _db(root: Path, seed: int) -> Path:
    return root / str(seed) / "cache.sqlite3"


def _put_raw(db: Path, key: str, text: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT OR REPLACE INTO cache (key, value) VALUES (?, ?)", (key, text))


def _envelope(value: object) -> str:
    """An entry exactly as convogen 0.1.0 wrote it (checksum over the JSON body)."""
    body = json.dumps(value, sort_keys=True)
    digest = hashlib.sha256(body.encode()).hexdigest()
    return json.dumps(
        {"convogen_cache_entry": 1, "version": "0.1.0", "sha256": digest, "value": body}
    )


def test_cache_keys_match_those_earlier_versions_wrote() -> None:
    # Keys on disk were written by earlier versions: a changed format would turn them all into
    # misses. These digests are what convogen 0.1.0 computed for the same inputs.
    assert (
        cache_key("gpt-4o", HELLO, {"temperature": 0, "stream": True}, 41)
        == "e56f1c07a4b0c142c6b6338db90c419fb18d49d55f247f41c737e08a14963b61"
    )
    assert (
        cache_key(
            "gpt-4o", [{"role": "user", "content": "h\u00e9llo"}], {"n": 1, "stop": ["a"]}, "seed"
        )
        == "3bc61866b8c5dfffec39ce8c159889802a18342eeb9c90f387120d38633c82a0"
    )


def test_entry_written_by_an_earlier_version_is_a_hit(tmp_path: Path) -> None:
    config = [{"model": "s", "api_type": "scripted", "replies": ["fresh"]}]
    wrapper = OpenAIWrapper(config_list=config, cache_seed=3, cache_path_root=tmp_path)
    wrapper.create(messages=[{"role": "user", "content": "other"}])  # creates the file
    stored = {
        "choices": [{"role": "assistant", "content": "from 0.1.0"}],
        "model": "s",
        "usage": {"prompt_tokens": 2, "completion_tokens": 3},
        "cost": 0.5,
    }
    _put_raw(_db(tmp_path, 3), cache_key("s", HELLO, {}, 3), _envelope(stored))
    hit = wrapper.create(messages=HELLO)
    wrapper.close()
    assert (hit.text, hit.cached, hit.cost, hit.usage.total_tokens) == ("from 0.1.0", True, 0.5, 5)


def test_disk_cache_uses_write_ahead_logging(tmp_path: Path) -> None:
    with Cache.disk(cache_seed=4, cache_path_root=tmp_path) as cache:
        cache.set("k", 1)
        with sqlite3.connect(_db(tmp_path, 4)) as other:
            mode = other.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_entry_with_surrounding_whitespace_still_reads(tmp_path: Path) -> None:
    with Cache.disk(cache_seed=5, cache_path_root=tmp_path) as cache:
        cache.set("k", 0)
        _put_raw(_db(tmp_path, 5), "k", "  " + _envelope({"a": [1, 2]}) + "\n")
        assert cache.get("k") == {"a": [1, 2]}


def test_entry_with_trailing_garbage_is_a_logged_miss(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with Cache.disk(cache_seed=6, cache_path_root=tmp_path) as cache:
        cache.set("k", 0)
        _put_raw(_db(tmp_path, 6), "k", _envelope({"a": 1}) + "}")
        with caplog.at_level(logging.WARNING):
            assert cache.get("k", "default") == "default"
    assert "not JSON" in caplog.text


def test_in_memory_values_are_copies() -> None:
    with Cache.in_memory() as cache:
        cache.set("k", {"a": [1]})
        cache.get("k")["a"].append(2)
        assert cache.get("k") == {"a": [1]}
        assert cache.get("missing", "default") == "default"


def test_in_memory_cache_rejects_values_json_cannot_hold() -> None:
    with Cache.in_memory() as cache, pytest.raises(TypeError, match="JSON-serialisable"):
        cache.set("k", {"nan": float("nan")})
