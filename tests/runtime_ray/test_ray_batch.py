"""Batches of scripted chats on LocalRuntime and RayRuntime: same results, checkpoints, crashes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from convogen.errors import ConfigError
from convogen.runtime import Job, JobResult, JsonlResultStore, LocalRuntime, RayRuntime, Runtime
from convogen.runtime.pool import shared_pool
from convogen.specs import TeamSpec


def scripted(replies: list[str]) -> dict[str, Any]:
    return {"config_list": [{"model": "scripted", "api_type": "scripted", "replies": replies}]}


def duo(word: str) -> TeamSpec:
    return TeamSpec.model_validate(
        {
            "name": "duo",
            "agents": [
                {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
                {"name": "helper", "llm_config": scripted([f"{word} first", f"{word} TERMINATE"])},
            ],
            "initiator": "user",
            "max_turns": 3,
        }
    )


def trio() -> TeamSpec:
    return TeamSpec.model_validate(
        {
            "name": "trio",
            "type": "group_chat",
            "speaker_selection_method": "round_robin",
            "max_round": 5,
            "agents": [
                {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
                {"name": "a", "llm_config": scripted(["from a"])},
                {"name": "b", "llm_config": scripted(["from b TERMINATE"])},
            ],
            "initiator": "user",
            "task": "plan the trip",
        }
    )


def counted(log: Path, key: str, delay: float = 0.0) -> Job:
    params = {"log": str(log), "key": key, "delay": delay}
    return Job("ray_job_factories:counting_pair", task=f"task {key}", id=key, params=params)


def runs(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def test_local_and_ray_runtimes_give_the_same_results(ray_session: Any, tmp_path: Path) -> None:
    jobs = [Job(duo(w), task=f"say {w}") for w in ("alpha", "beta", "gamma", "delta")]
    jobs += [Job(trio()), Job(trio(), id="trio-again")]
    jobs.append(counted(tmp_path / "runs.log", "factory"))
    runtimes: list[Runtime] = [LocalRuntime(concurrency=3), RayRuntime(progress=False)]
    local, remote = (runtime.run_batch(jobs) for runtime in runtimes)
    assert local == remote
    assert [r.error for r in local] == [None] * len(jobs)
    assert local[0].summary == "alpha"
    assert local[0].stop_reason == "termination_message"
    assert [m["name"] for m in local[4].transcript][-2:] == ["a", "b"]
    assert {r.meta["runtime"] for r in remote} == {"ray"}
    assert all(
        isinstance(r.cost, dict) and "usage_including_cached_inference" in r.cost for r in remote
    )


def test_batch_resumes_from_its_checkpoint(ray_session: Any, tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    runtime = RayRuntime(checkpoint_dir=tmp_path / "ckpt", progress=True)
    first = runtime.run_batch([counted(log, f"job{i}") for i in range(3)])
    assert sorted(runs(log)) == ["job0", "job1", "job2"]
    again = runtime.run_batch([counted(log, f"job{i}") for i in range(6)])
    # Only the three new jobs ran; the finished ones came from the checkpoint.
    assert sorted(runs(log)) == [f"job{i}" for i in range(6)]
    assert again[:3] == first
    assert [r.summary for r in again] == [f"answer for job{i}: task job{i}" for i in range(6)]
    stored = JsonlResultStore.in_dir(tmp_path / "ckpt").load()
    assert sorted(stored) == [f"job{i}" for i in range(6)]
    # The local runtime reads the same checkpoint: nothing is run a third time.
    LocalRuntime(checkpoint_dir=tmp_path / "ckpt").run_batch([counted(log, "job5")])
    assert len(runs(log)) == 6


@pytest.mark.parametrize(("max_retries", "submissions"), [(3, 1), (0, 2)])
def test_a_worker_killed_mid_batch_loses_no_chat(
    ray_session: Any, tmp_path: Path, max_retries: int, submissions: int
) -> None:
    log, marker = tmp_path / "runs.log", tmp_path / "crashed"
    jobs = [counted(log, f"job{i}", delay=0.2) for i in range(5)]
    params = {"log": str(log), "key": "victim", "marker": str(marker), "delay": 0.3}
    jobs.insert(2, Job("ray_job_factories:crash_once_pair", task="task victim", params=params))
    runtime = RayRuntime(
        max_retries=max_retries, resubmit=2, checkpoint_dir=tmp_path / "ckpt", progress=False
    )
    results = runtime.run_batch(jobs)
    assert marker.exists(), "the victim job never killed its worker"
    assert [r.error for r in results] == [None] * 6
    assert results[2].summary == "answer for victim: task victim"
    assert runs(log).count("victim") == 2
    # Ray's own retry covers the crash; with retries off the runtime submits the job again.
    assert results[2].meta["submissions"] == submissions
    assert len(JsonlResultStore.in_dir(tmp_path / "ckpt").load()) == 6


def test_a_failing_chat_is_an_error_result_and_is_rerun(ray_session: Any, tmp_path: Path) -> None:
    job = Job("ray_job_factories:failing_pair", task="x", id="bad", params={"key": "k"})
    runtime = RayRuntime(checkpoint_dir=tmp_path, progress=False)
    [result] = runtime.run_batch([job])
    assert result.stop_reason == "error"
    assert result.error == "RuntimeError: factory for k failed on purpose"
    [again] = runtime.run_batch([job])
    assert again == result
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 2


def test_jobs_are_checked_before_anything_runs() -> None:
    runtime = LocalRuntime()
    with pytest.raises(ConfigError, match=r"jobs\[0\]\.task"):
        runtime.run_batch([Job(duo("x"))])
    with pytest.raises(ConfigError, match=r"jobs\[1\]\.id"):
        runtime.run_batch([Job(duo("x"), "t", id="same"), Job(duo("y"), "t", id="same")])
    with pytest.raises(ConfigError, match=r"jobs\[0\]\.team"):
        runtime.run_batch([Job("no_colon", task="t")])
    with pytest.raises(ConfigError, match="concurrency"):
        LocalRuntime(concurrency=0)
    with pytest.raises(ConfigError, match="num_cpus"):
        RayRuntime(address="auto", num_cpus=2)


def test_store_skips_a_torn_last_line(tmp_path: Path) -> None:
    store = JsonlResultStore(tmp_path / "r.jsonl")
    store.append(JobResult("one", summary="1"))
    with store.path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "two", "summ')  # a crash mid-write
    store.append(JobResult("three", summary="3"))
    assert sorted(store.load()) == ["one", "three"]


def test_importing_convogen_does_not_import_ray() -> None:
    code = "import sys, convogen, convogen.runtime; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_spec_holding_a_function_must_be_a_factory() -> None:
    spec = duo("x")
    spec.agents[1].llm_config = {
        "config_list": [{"model": "s", "api_type": "scripted", "replies": lambda m: "hi"}]
    }
    with pytest.raises(ConfigError, match="factory"):
        LocalRuntime().run_batch([Job(spec, task="t")])


class StopAfter:
    """A store that takes ``limit`` results and then fails, as a driver killed mid-batch."""

    def __init__(self, inner: JsonlResultStore, limit: int) -> None:
        self.inner, self.limit, self.order = inner, limit, list[str]()

    def load(self) -> dict[str, JobResult]:
        return self.inner.load()

    def append(self, result: JobResult) -> None:
        if len(self.order) == self.limit:
            raise KeyboardInterrupt("the driver stops here")
        self.order.append(result.id)
        self.inner.append(result)


def test_a_batch_of_many_chunks_resumes_after_an_interruption(
    ray_session: Any, tmp_path: Path
) -> None:
    log, ckpt = tmp_path / "runs.log", tmp_path / "ckpt"
    jobs = [counted(log, f"job{i}") for i in range(12)]
    stopping = StopAfter(JsonlResultStore.in_dir(ckpt), limit=4)
    with pytest.raises(KeyboardInterrupt):
        RayRuntime(store=stopping, chunk_size=4, progress=False).run_batch(jobs)
    first = sorted(stopping.order)
    assert len(first) == 4 and sorted(JsonlResultStore.in_dir(ckpt).load()) == first
    results = RayRuntime(checkpoint_dir=ckpt, chunk_size=4, progress=False).run_batch(jobs)
    assert [r.id for r in results] == [f"job{i}" for i in range(12)]
    assert [r.summary for r in results] == [f"answer for job{i}: task job{i}" for i in range(12)]
    # The chunk checkpointed before the interruption never ran again; every job ran.
    assert [runs(log).count(job_id) for job_id in first] == [1] * 4
    assert set(runs(log)) == {f"job{i}" for i in range(12)}
    assert len(JsonlResultStore.in_dir(ckpt).load()) == 12


def test_results_stream_back_by_chunk_and_return_in_job_order(
    ray_session: Any, tmp_path: Path
) -> None:
    log = tmp_path / "runs.log"
    runtime = RayRuntime(chunk_size=2, progress=False)
    runtime.run_batch([counted(log, f"warm{i}") for i in range(2)])  # both workers up
    jobs = [counted(log, f"job{i}", delay=0.8 if i < 2 else 0.0) for i in range(6)]
    recorder = StopAfter(JsonlResultStore(tmp_path / "r.jsonl"), limit=len(jobs))
    results = RayRuntime(store=recorder, chunk_size=2, progress=False).run_batch(jobs)
    assert [r.id for r in results] == [f"job{i}" for i in range(6)]
    assert [r.summary for r in results] == [f"answer for job{i}: task job{i}" for i in range(6)]
    # The slow first chunk came back after a later one: results are checkpointed as chunks
    # finish, yet returned in the order of the jobs.
    assert recorder.order[:2] == ["job2", "job3"]
    assert {r.meta["chunk"] for r in results} == {2}
    # close() hands the workers back; the next batch starts new ones.
    runtime.close()
    assert shared_pool(ray_session, None).workers == []


def test_a_worker_lost_mid_chunk_reruns_only_that_chunk(ray_session: Any, tmp_path: Path) -> None:
    log, marker = tmp_path / "runs.log", tmp_path / "crashed"
    jobs = [counted(log, f"job{i}") for i in range(8)]
    params = {"log": str(log), "key": "victim", "marker": str(marker)}
    jobs.insert(1, Job("ray_job_factories:crash_once_pair", task="task victim", params=params))
    runtime = RayRuntime(max_retries=0, chunk_size=3, progress=False)
    results = runtime.run_batch(jobs)
    assert marker.exists()
    assert [r.error for r in results] == [None] * 9
    assert results[1].summary == "answer for victim: task victim"
    # The lost chunk [job0, victim, job1] ran again as a whole (job1 had not started when
    # the worker died). A chunk queued behind it on the same worker may be lost with it and
    # resubmitted too (timing); no job ran more often than its chunk was submitted.
    assert runs(log).count("victim") == 2 and runs(log).count("job0") == 2
    assert runs(log).count("job1") == 1
    assert [r.meta["submissions"] for r in results[:3]] == [2, 2, 2]
    for result in results[3:]:
        assert 1 <= runs(log).count(result.id) <= result.meta["submissions"], result.id
