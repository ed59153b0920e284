"""``cache_seed`` and a classic ``Cache.disk()`` with the same seed and root share their entries."""

from __future__ import annotations

from pathlib import Path

from convogen import OpenAIWrapper
from convogen.cache import Cache

HELLO = [{"role": "user", "content": "hello"}]


def scripted(replies: list[str], cache_seed: int | None, root: Path) -> OpenAIWrapper:
    entry = {"model": "m", "api_type": "scripted", "replies": replies}
    return OpenAIWrapper(config_list=[entry], cache_seed=cache_seed, cache_path_root=root)


def test_entry_written_through_cache_seed_is_a_hit_for_classic_disk_cache(tmp_path: Path) -> None:
    scripted(["seeded"], 7, tmp_path).create(messages=HELLO)
    with Cache.disk(cache_seed=7, cache_path_root=str(tmp_path)) as cache:
        reply = scripted(["fresh"], None, tmp_path).create(messages=HELLO, cache=cache)
    assert reply.cached
    assert reply.choices[0].message.content == "seeded"


def test_entry_written_through_classic_disk_cache_is_a_hit_for_cache_seed(tmp_path: Path) -> None:
    with Cache.disk(cache_seed=7, cache_path_root=str(tmp_path)) as cache:
        scripted(["classic"], None, tmp_path).create(messages=HELLO, cache=cache)
    reply = scripted(["fresh"], 7, tmp_path).create(messages=HELLO)
    assert reply.cached
    assert reply.choices[0].message.content == "classic"
