"""Cutting a batch into chunks, shipping shared specs once, placing workers (no Ray needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from convogen.errors import ConfigError
from convogen.runtime import Job, JobResult, JsonlResultStore
from convogen.runtime.chunks import LARGEST_CHUNK, chunk_size, ship, split
from convogen.runtime.jobs import a_run_payload, assign_ids
from convogen.runtime.pool import worker_slots
from convogen.runtime.store import checkpoint
from convogen.specs import TeamSpec


def duo(word: str) -> TeamSpec:
    replies = [f"{word} TERMINATE"]
    return TeamSpec.model_validate(
        {
            "name": "duo",
            "agents": [
                {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
                {
                    "name": "helper",
                    "llm_config": {
                        "config_list": [{"model": "s", "api_type": "scripted", "replies": replies}]
                    },
                },
            ],
            "initiator": "user",
            "max_turns": 2,
        }
    )


def test_chunks_are_many_small_ones_per_worker_up_to_a_bound() -> None:
    assert chunk_size(6, 2) == 1
    assert chunk_size(200, 2) == 25
    assert chunk_size(2000, 2) == LARGEST_CHUNK
    assert chunk_size(0, 4) == 1
    with pytest.raises(ConfigError, match="chunk_size"):
        chunk_size(10, 0)


def test_split_keeps_the_order_and_every_id() -> None:
    ids = [f"j{i}" for i in range(7)]
    assert split(ids, 3) == [["j0", "j1", "j2"], ["j3", "j4", "j5"], ["j6"]]
    with pytest.raises(ConfigError, match="chunk_size"):
        split(ids, 0)


def test_a_spec_shared_by_many_jobs_is_shipped_once() -> None:
    team, other = duo("a"), duo("b")
    jobs = {f"j{i}": Job(team, task=f"t{i}") for i in range(5)}
    jobs["k"] = Job(other, task="t")
    jobs["f"] = Job("ray_job_factories:failing_pair", task="t", params={"key": "x"})
    shipment = ship(jobs)
    assert len(shipment.specs) == 2
    keys = {p.get("spec_key") for p in shipment.payloads.values()}
    assert keys == {*shipment.specs, None}
    assert all(p["spec"] is None for p in shipment.payloads.values())
    assert shipment.payloads["f"]["factory"] == "ray_job_factories:failing_pair"
    # The key is the spec's content, so every batch (and worker cache) agrees on it.
    assert ship({"x": Job(duo("a"), task="t")}).specs.keys() == ship({"y": jobs["j0"]}).specs.keys()


async def test_a_shipped_job_runs_from_the_shared_spec() -> None:
    shipment = ship({"one": Job(duo("hello"), task="greet")})
    parsed: list[str] = []

    def shared(key: str) -> TeamSpec:
        parsed.append(key)
        return TeamSpec.model_validate(shipment.specs[key])

    result = await a_run_payload(shipment.payloads["one"], shared)
    assert (result.id, result.summary, result.error) == ("one", "hello", None)
    assert parsed == list(shipment.specs)
    orphan = await a_run_payload(shipment.payloads["one"])
    assert orphan.error is not None and "spec_key" in orphan.error


def test_job_ids_do_not_depend_on_how_a_batch_is_shipped() -> None:
    job = Job(duo("a"), task="t")
    assert "spec_key" not in job.payload("x")
    before = assign_ids([job])
    ship({before[0]: job})
    assert assign_ids([job]) == before


def node(node_id: str, cpus: float, alive: bool = True) -> dict[str, Any]:
    return {"NodeID": node_id, "Alive": alive, "Resources": {"CPU": cpus}}


def test_workers_spread_over_nodes_in_proportion_to_their_cpus() -> None:
    nodes = [node("b", 1), node("a", 2), node("head", 0), node("dead", 8, alive=False)]
    assert worker_slots(nodes, 1.0) == ["a", "b", "a"]
    assert worker_slots(nodes, 0.5) == ["a", "b", "a", "b", "a", "a"]
    assert worker_slots(nodes, 0.0) == ["a", "b", "a"]
    assert worker_slots([node("a", 1)], 4.0) == ["a"]
    assert worker_slots([], 1.0) == []


class ListStore:
    """A store with only the protocol's ``append``."""

    def __init__(self) -> None:
        self.appended: list[str] = []

    def load(self) -> dict[str, JobResult]:
        return {}

    def append(self, result: JobResult) -> None:
        self.appended.append(result.id)


def test_a_chunk_is_checkpointed_in_order_in_any_store(tmp_path: Path) -> None:
    results = [JobResult(f"r{i}", summary=str(i)) for i in range(3)]
    plain = ListStore()
    checkpoint(plain, results)
    assert plain.appended == ["r0", "r1", "r2"]
    jsonl = JsonlResultStore(tmp_path / "r.jsonl")
    checkpoint(jsonl, results)
    checkpoint(jsonl, [])
    assert list(jsonl.load()) == ["r0", "r1", "r2"]
    assert len(jsonl.path.read_text().splitlines()) == 3
