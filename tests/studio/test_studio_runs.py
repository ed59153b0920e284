"""Studio runs: lifecycle, live streams, human input across a restart, files, replays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio_support import (
    hello_team,
    local_client,
    plot_team,
    scripted,
    stream_url,
    user_agent,
    wait_status,
)

from convogen.specs import run_team
from convogen.specs.models import parse_spec
from convogen.state.logging import start_logging, stop_logging
from convogen.state.recording import record
from convogen.studio import create_app


def receive_until(ws: Any, kind: str, limit: int = 200) -> list[dict[str, Any]]:
    """Events from the stream up to and including the first one of type ``kind``."""
    events = []
    for _ in range(limit):
        event = ws.receive_json()
        events.append(event)
        if event["type"] == kind:
            return events
    raise AssertionError(f"no {kind} event in {events}")


def test_run_lifecycle_with_usage_result_and_replay(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=hello_team())
        started = client.post("/api/runs", json={"team": "hello"})
        assert started.status_code == 202
        run_id = started.json()["run_id"]
        detail = wait_status(client, run_id, ("finished",))
        assert [(m["sender"], m["content"]) for m in detail["messages"]] == [
            ("user", "Say hello"),
            ("greeter", "Hello there! TERMINATE"),
        ]
        assert detail["result"]["stop_reason"] == "termination_message"
        assert detail["usage"]["total_tokens"] > 0 and detail["usage"]["total_cost"] == 0.0
        assert detail["usage"]["models"]["scripted"]["calls"] == 1
        listed = {r["run_id"]: r for r in client.get("/api/runs").json()}
        assert listed[run_id]["status"] == "finished" and listed[run_id]["team"] == "hello"
        assert not [r for r in listed.values() if r["source"] == "log"]  # its chat is the run
        events = client.get(f"/api/runs/{run_id}/replay").json()["events"]
        assert [e["type"] for e in events if e["type"] in ("message", "result")] == [
            "message",
            "message",
            "result",
        ]
        with client.websocket_connect(stream_url(run_id)) as ws:
            assert receive_until(ws, "result")[-1]["stop_reason"] == "termination_message"


def test_human_input_pause_answer_after_restart_and_files(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=plot_team())
        run_id = client.post("/api/runs", json={"team": "plotters", "task": "Plot squares"}).json()[
            "run_id"
        ]
        with client.websocket_connect(stream_url(run_id)) as ws:
            events = receive_until(ws, "human_input_request")
        kinds = [e["type"] for e in events]
        assert "code" in kinds and "usage" in kinds
        code = next(e for e in events if e["type"] == "code")
        assert code["exit_code"] == 0 and "saved plot.png" in code["output"]
        assert [f["name"] for f in code["files"]] == ["plot.png"]  # no sandbox cache files
        paused = wait_status(client, run_id, ("paused",))
        assert paused["pending_human_input"]["agent"] == "user"
        image = client.get(code["files"][0]["url"])
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        assert image.headers["content-type"] == "image/png"

    # A new server process: the pending prompt is read back from the checkpoint store.
    with local_client(create_app(tmp_path, gallery=False)) as client:
        assert client.get(f"/api/runs/{run_id}").json()["status"] == "paused"
        answered = client.post(f"/api/runs/{run_id}/answer", json={"answer": "Looks great!"})
        assert answered.status_code == 202
        done = wait_status(client, run_id, ("finished", "failed"))
        assert done["status"] == "finished", done
        contents = [m["content"] for m in done["messages"]]
        assert contents[0] == "Plot squares" and contents[-1] == "Looks great!"
        assert len(contents) == 5  # nothing shown twice although the chat re-executed
        assert done["result"]["stop_reason"] == "max_consecutive_auto_reply"
        assert done["result"]["human_input"] == ["Looks great!"]
        assert [f["name"] for f in done["files"]] == ["plot.png"] and done["files"][0]["image"]
        again = client.post(f"/api/runs/{run_id}/answer", json={"answer": "more"})
        assert again.status_code == 409 and "not waiting" in again.json()["detail"]
        escape = f"/api/runs/{run_id}/files/..%2F..%2F..%2Fcheckpoints.db"
        assert client.get(escape).status_code == 404
        assert client.get(f"/api/runs/{run_id}/files/.cache").status_code == 404
        events = client.get(f"/api/runs/{run_id}/replay").json()["events"]
        kinds = [e["type"] for e in events]
        assert kinds.count("human_input_request") == 1 and kinds[-1] == "result"
        assert kinds.count("message") == 5


def test_group_chat_streams_speaker_selection_reasons(tmp_path: Path) -> None:
    team = {
        "name": "trio",
        "type": "group_chat",
        "speaker_selection_method": "round_robin",
        "max_round": 4,
        "agents": [
            user_agent(mode="NEVER", code=False),
            {"name": "a", "llm_config": scripted(["from a"])},
            {"name": "b", "llm_config": scripted(["from b TERMINATE"])},
        ],
        "initiator": "user",
        "task": "go",
    }
    with local_client(create_app(tmp_path, gallery=False)) as client:
        assert client.post("/api/teams", json=team).status_code == 201
        run_id = client.post("/api/runs", json={"team": "trio"}).json()["run_id"]
        detail = wait_status(client, run_id, ("finished",))
        assert [m["sender"] for m in detail["messages"]] == ["user", "a", "b"]  # no relays
        picks = detail["speaker_selections"]
        assert [p["speaker"] for p in picks] == ["a", "b"]
        assert all(p["method"] == "round_robin" and p["reason"] for p in picks)


def test_failing_run_reports_the_error(tmp_path: Path) -> None:
    team = {
        "name": "broken",
        "agents": [
            user_agent(mode="NEVER", code=False),
            {"name": "bot", "llm_config": scripted([])},
        ],
        "initiator": "user",
    }
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=team)
        run_id = client.post("/api/runs", json={"team": "broken", "task": "x"}).json()["run_id"]
        detail = wait_status(client, run_id, ("failed",))
        assert "replies" in (detail["error"] or "") or "Script" in (detail["error"] or "")
        kinds = [e["type"] for e in client.get(f"/api/runs/{run_id}/replay").json()["events"]]
        assert "error" in kinds


def test_logged_chats_and_cassettes_are_listed_and_replayed(tmp_path: Path) -> None:
    spec = parse_spec(hello_team())
    start_logging(tmp_path / "logs.db")
    try:
        from convogen._sync import run_sync

        run_sync(run_team(spec))
    finally:
        stop_logging()
    (tmp_path / "cassettes").mkdir()
    with record(tmp_path / "cassettes" / "hello.jsonl"):
        run_sync(run_team(spec))
    with local_client(create_app(tmp_path, gallery=False)) as client:
        logged = [r for r in client.get("/api/runs").json() if r["source"] == "log"]
        assert len(logged) == 1 and logged[0]["stop_reason"] == "termination_message"
        detail = client.get(f"/api/runs/{logged[0]['run_id']}").json()
        assert [m["sender"] for m in detail["messages"]] == ["user", "greeter"]
        events = client.get(f"/api/runs/{logged[0]['run_id']}/replay").json()["events"]
        assert events[-1]["type"] == "result"
        assert client.get("/api/cassettes").json() == ["hello.jsonl"]
        replayed = client.get("/api/cassettes/hello.jsonl/replay").json()["events"]
        assert [e["content"] for e in replayed] == ["Say hello", "Hello there! TERMINATE"]


def test_an_interrupted_run_is_listed_and_resumes(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=hello_team())
        team = client.app.state.library.get_team("hello").model_dump(mode="json")  # type: ignore[attr-defined]
        # What a server killed mid-run leaves: a stored run, status running, no task for it.
        client.app.state.runs.store.create_run(  # type: ignore[attr-defined]
            "cut0ff", "studio", {"team": team, "task": "Say hello"}
        )
        assert client.get("/api/runs/cut0ff").json()["status"] == "interrupted"
        assert client.post("/api/runs/cut0ff/answer", json={"answer": "x"}).status_code == 409
        assert client.post("/api/runs/cut0ff/resume").status_code == 202
        done = wait_status(client, "cut0ff", ("finished",))
        assert done["result"]["stop_reason"] == "termination_message"
        assert client.post("/api/runs/cut0ff/resume").status_code == 409
