"""Studio history: cost, duration, stop reasons, delete, retry, continue, transcripts, logs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from studio_support import hello_team, local_client, scripted, user_agent, wait_status

from convogen.errors import ScriptExhaustedError
from convogen.llm.errors import ModelConnectionError
from convogen.state.logging import list_chats
from convogen.studio import create_app
from convogen.studio.console import retry_helps


def broken_team() -> dict[str, Any]:
    bot = {"name": "bot", "llm_config": scripted([])}
    return {
        "name": "broken",
        "agents": [user_agent(mode="NEVER", code=False), bot],
        "initiator": "user",
    }


def asking_team() -> dict[str, Any]:
    bot = {"name": "bot", "llm_config": scripted(["Shall I go on? TERMINATE"])}
    user = user_agent(mode="TERMINATE", code=False)
    return {"name": "asking", "agents": [user, bot], "initiator": "user", "task": "Go"}


def test_history_rows_show_cost_tokens_duration_and_stop_reason(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=hello_team())
        run_id = client.post("/api/runs", json={"team": "hello"}).json()["run_id"]
        wait_status(client, run_id, ("finished",))
        row = next(r for r in client.get("/api/runs").json() if r["run_id"] == run_id)
    assert row["stop_reason"] == "termination_message"
    assert row["total_tokens"] > 0 and row["total_cost"] is not None
    assert row["duration_s"] >= 0 and row["retryable"] is False


def test_a_failed_run_shows_error_as_its_stop_reason_and_no_retry(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=broken_team())
        run_id = client.post("/api/runs", json={"team": "broken", "task": "x"}).json()["run_id"]
        wait_status(client, run_id, ("failed",))
        row = next(r for r in client.get("/api/runs").json() if r["run_id"] == run_id)
        assert row["stop_reason"] == "error" and row["error"]
        assert row["retryable"] is False
        refused = client.post(f"/api/runs/{run_id}/resume")
    assert refused.status_code == 409 and "would happen again" in refused.json()["detail"]


def test_only_network_and_provider_failures_are_worth_a_retry() -> None:
    assert retry_helps(ModelConnectionError("connection refused"))
    assert retry_helps(TimeoutError())
    assert not retry_helps(ScriptExhaustedError("no replies left"))
    assert not retry_helps(ValueError("bad config"))


def test_a_deleted_run_is_gone_with_its_files(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=hello_team())
        run_id = client.post("/api/runs", json={"team": "hello"}).json()["run_id"]
        wait_status(client, run_id, ("finished",))
        assert client.delete(f"/api/runs/{run_id}").status_code == 204
        assert client.get(f"/api/runs/{run_id}").status_code == 404
        assert not (tmp_path / "runs" / run_id).exists()
        assert run_id not in [r["run_id"] for r in client.get("/api/runs").json()]


def test_transcripts_download_as_json_and_markdown(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=hello_team())
        run_id = client.post("/api/runs", json={"team": "hello"}).json()["run_id"]
        wait_status(client, run_id, ("finished",))
        as_json = client.get(f"/api/runs/{run_id}/transcript?format=json")
        as_md = client.get(f"/api/runs/{run_id}/transcript?format=md")
        bad = client.get(f"/api/runs/{run_id}/transcript?format=xml")
    assert [m["sender"] for m in as_json.json()["messages"]] == ["user", "greeter"]
    assert "attachment" in as_json.headers["content-disposition"]
    assert as_md.headers["content-type"].startswith("text/markdown")
    assert "## greeter → user" in as_md.text and "Hello there! TERMINATE" in as_md.text
    assert bad.status_code == 400 and bad.json()["field"] == "format"


def test_a_finished_conversation_continues_with_its_earlier_messages(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=hello_team())
        first = client.post("/api/runs", json={"team": "hello"}).json()["run_id"]
        wait_status(client, first, ("finished",))
        answer = client.post(f"/api/runs/{first}/continue", json={"message": "And goodbye?"})
        assert answer.status_code == 202, answer.text
        second = answer.json()["run_id"]
        detail = wait_status(client, second, ("finished",))
    opening = detail["messages"][0]["content"]
    assert opening.startswith("And goodbye?") and "Hello there!" in opening
    assert detail["continues"] == first


def test_only_a_finished_conversation_can_be_continued(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=asking_team())
        run_id = client.post("/api/runs", json={"team": "asking"}).json()["run_id"]
        wait_status(client, run_id, ("paused",))
        refused = client.post(f"/api/runs/{run_id}/continue", json={"message": "more"})
    assert refused.status_code == 409 and "finished" in refused.json()["detail"]


def test_a_paused_run_is_logged_as_paused_not_error(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=asking_team())
        run_id = client.post("/api/runs", json={"team": "asking"}).json()["run_id"]
        wait_status(client, run_id, ("paused",))
        chats = list_chats(tmp_path / "logs.db")
        row = next(r for r in client.get("/api/runs").json() if r["run_id"] == run_id)
    assert [c["stop_reason"] for c in chats] == ["paused"]
    assert row["stop_reason"] == "paused"


def manual_team() -> dict[str, Any]:
    members = [
        user_agent(mode="NEVER", code=False),
        {"name": "a", "llm_config": scripted(["I am a."])},
        {"name": "b", "llm_config": scripted(["I am b. TERMINATE"])},
    ]
    return {
        "name": "manual",
        "type": "group_chat",
        "agents": members,
        "initiator": "user",
        "speaker_selection_method": "manual",
        "max_round": 3,
        "task": "Who speaks?",
    }


def test_manual_selection_lets_the_person_pick_the_next_speaker(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=manual_team())
        run_id = client.post("/api/runs", json={"team": "manual"}).json()["run_id"]
        paused = wait_status(client, run_id, ("paused",))
        assert "select the next speaker" in paused["pending_human_input"]["prompt"]
        client.post(f"/api/runs/{run_id}/answer", json={"answer": "b"})
        done = wait_status(client, run_id, ("finished",))
    assert [m["sender"] for m in done["messages"]] == ["user", "b"]


def test_agent_console_output_goes_to_the_runs_events(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path, gallery=False)) as client:
        client.post("/api/teams", json=manual_team())
        run_id = client.post("/api/runs", json={"team": "manual"}).json()["run_id"]
        wait_status(client, run_id, ("paused",))
        client.post(f"/api/runs/{run_id}/answer", json={"answer": "nobody"})
        deadline = time.monotonic() + 30
        console: list[str] = []
        while not console and time.monotonic() < deadline:
            events = client.get(f"/api/runs/{run_id}/replay").json()["events"]
            console = [e["text"] for e in events if e["type"] == "console"]
            time.sleep(0.05)
    assert any("Invalid choice 'nobody'" in text for text in console), console
