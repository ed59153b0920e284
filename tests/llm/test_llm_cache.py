"""Opt-in response caching (disk/SQLite, Redis via fakeredis) and usage accounting."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import fakeredis
import pytest
from llm_test_support import entry

from convogen.errors import ConfigError
from convogen.llm import Cache, OpenAIWrapper
from convogen.llm.cache import cache_key
from convogen.messages import Message

HELLO: list[Message] = [{"role": "user", "content": "hello there"}]


def _rows(root: Path, seed: int) -> list[tuple[str, str]]:
    with sqlite3.connect(root / str(seed) / "cache.sqlite3") as conn:
        return conn.execute("SELECT key, value FROM cache").fetchall()


async def test_cache_seed_enables_disk_cache(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(replies=["one two three", "fresh"])
    config: dict[str, Any] = {
        "config_list": [entry(server)],
        "cache_seed": 42,
        "cache_path_root": tmp_path,
    }
    first = OpenAIWrapper(**config)
    miss = await first.a_create(messages=HELLO)
    hit = await first.a_create(messages=HELLO)
    assert (miss.cached, hit.cached) == (False, True)
    assert hit.text == miss.text == "one two three"
    assert hit.usage == miss.usage and hit.cost == miss.cost
    assert server.request_count == 1
    # A new wrapper with the same seed shares the on-disk cache.
    second = OpenAIWrapper(**config)
    assert (await second.a_create(messages=HELLO)).cached
    # Another seed is another cache: a fresh request.
    other = OpenAIWrapper(**{**config, "cache_seed": 43})
    assert (await other.a_create(messages=HELLO)).text == "fresh"
    assert server.request_count == 2
    for wrapper in (first, second, other):
        wrapper.close()


async def test_values_are_stored_as_json_only(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(replies=["stored"])
    wrapper = OpenAIWrapper(config_list=[entry(server)], cache_seed=7, cache_path_root=tmp_path)
    await wrapper.a_create(messages=HELLO)
    wrapper.close()
    rows = _rows(tmp_path, 7)
    assert len(rows) == 1
    key, value = rows[0]
    assert len(key) == 64  # sha256 hex
    stored = json.loads(value)  # plain JSON text: no pickle anywhere
    data = json.loads(stored["value"])
    assert data["choices"][0]["content"] == "stored"
    assert data["model"] == "gpt-4o"


def test_cache_rejects_values_json_cannot_hold(tmp_path: Path) -> None:
    with Cache.disk(cache_seed=1, cache_path_root=tmp_path) as cache:
        cache.set("k", {"a": [1, 2]})
        assert cache.get("k") == {"a": [1, 2]}
        assert cache.get("missing", "default") == "default"
        with pytest.raises(TypeError, match="JSON"):
            cache.set("bad", object())


async def test_caching_is_off_without_cache_seed(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(replies=["a", "b"])
    wrapper = OpenAIWrapper(config_list=[entry(server)], cache_seed=None)
    assert (await wrapper.a_create(messages=HELLO)).text == "a"
    second = await wrapper.a_create(messages=HELLO)
    assert second.text == "b" and not second.cached
    assert not (tmp_path / ".cache").exists()


async def test_per_call_cache_seed_none_disables(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(replies=["a", "b"])
    wrapper = OpenAIWrapper(config_list=[entry(server)], cache_seed=3, cache_path_root=tmp_path)
    await wrapper.a_create(messages=HELLO)
    assert (await wrapper.a_create(messages=HELLO, cache_seed=None)).text == "b"
    wrapper.close()


async def test_different_params_miss(server_factory: Any) -> None:
    server = server_factory(replies=["cold", "warm"])
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    with Cache.in_memory() as cache:
        await wrapper.a_create(messages=HELLO, cache=cache, temperature=0)
        warm = await wrapper.a_create(messages=HELLO, cache=cache, temperature=1)
        again = await wrapper.a_create(messages=HELLO, cache=cache, temperature=0)
    assert (warm.text, warm.cached, again.text, again.cached) == ("warm", False, "cold", True)


async def test_redis_cache_with_fakeredis(server_factory: Any) -> None:
    server = server_factory(replies=["from redis"])
    client = fakeredis.FakeRedis()
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    with Cache.redis(cache_seed=5, client=client) as cache:
        await wrapper.a_create(messages=HELLO, cache=cache)
        hit = await wrapper.a_create(messages=HELLO, cache=cache)
    assert hit.cached and hit.text == "from redis"
    keys = client.keys("convogen:5:*")
    assert len(keys) == 1
    stored = json.loads(client.get(keys[0]) or "")
    assert json.loads(stored["value"])["choices"][0]["content"] == "from redis"


def test_redis_cache_from_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    fake = fakeredis.FakeRedis()
    monkeypatch.setattr(redis.Redis, "from_url", classmethod(lambda cls, url: fake))
    with Cache.redis(cache_seed=9, redis_url="redis://example:6379/0") as cache:
        cache.set("k", [1])
        assert cache.get("k") == [1]


async def test_usage_total_vs_actual(server_factory: Any, capsys: Any) -> None:
    server = server_factory(replies=["one two"])
    wrapper = OpenAIWrapper(config_list=[entry(server)], cache=Cache.in_memory())
    await wrapper.a_create(messages=HELLO)
    await wrapper.a_create(messages=HELLO)
    total = wrapper.total_usage_summary
    actual = wrapper.actual_usage_summary
    assert total is not None and actual is not None
    one_call = (2 * 0.0025 + 2 * 0.01) / 1000
    assert actual["total_cost"] == pytest.approx(one_call)
    assert total["total_cost"] == pytest.approx(2 * one_call)
    assert total["gpt-4o"]["prompt_tokens"] == 4 and actual["gpt-4o"]["prompt_tokens"] == 2
    wrapper.print_usage_summary()
    out = capsys.readouterr().out
    assert "excluding cached" in out and "including cached" in out
    wrapper.clear_usage_summary()
    assert wrapper.total_usage_summary is None


def test_cache_key_depends_on_everything_that_matters() -> None:
    base = cache_key("m", HELLO, {"temperature": 0}, 41)
    assert base == cache_key("m", HELLO, {"temperature": 0, "timeout": 5, "stream": True}, 41)
    assert base != cache_key("m2", HELLO, {"temperature": 0}, 41)
    assert base != cache_key("m", [{"role": "user", "content": "x"}], {"temperature": 0}, 41)
    assert base != cache_key("m", HELLO, {"temperature": 1}, 41)
    assert base != cache_key("m", HELLO, {"temperature": 0}, 42)


def test_invalid_cache_seed() -> None:
    with pytest.raises(ConfigError, match="cache_seed"):
        OpenAIWrapper(
            config_list=[{"model": "m", "api_type": "scripted", "replies": []}],
            cache_seed=1.5,  # type: ignore[arg-type]
        )


def test_scripted_cached_reply_via_llm_config(tmp_path: Path) -> None:
    llm_config: dict[str, Any] = {
        "config_list": [{"model": "s", "api_type": "scripted", "replies": ["once"]}],
        "cache_seed": 41,
        "cache_path_root": str(tmp_path),
        "temperature": 0,
    }
    wrapper = OpenAIWrapper(**llm_config)
    assert wrapper.create(messages=HELLO).text == "once"
    # The script has one reply: the second answer can only come from the cache.
    assert wrapper.create(messages=HELLO).cached
    wrapper.close()


def test_unreadable_cache_entry_is_a_miss() -> None:
    wrapper = OpenAIWrapper(
        config_list=[{"model": "s", "api_type": "scripted", "replies": ["new"]}]
    )
    cache = Cache.in_memory(cache_seed=1)
    key = cache_key("s", HELLO, {}, 1)
    cache.set(key, {"unexpected": "shape"})
    response = wrapper.create(messages=HELLO, cache=cache)
    assert (response.text, response.cached) == ("new", False)
    assert cache.get(key)["choices"][0]["content"] == "new"
