"""Studio REST API: validation errors, tokens, agents and team specs as files."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from studio_support import hello_team, local_client, plot_team, stream_url

from convogen.errors import ConfigError
from convogen.specs import load_spec
from convogen.studio import create_app, is_loopback, serve


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return local_client(create_app(tmp_path, gallery=False))


def test_team_specs_are_files_the_cli_can_run(client: TestClient, tmp_path: Path) -> None:
    created = client.post("/api/teams", json=plot_team())
    assert created.status_code == 201, created.text
    spec = load_spec(tmp_path / "specs" / "plotters.json")
    assert spec.recipient == "coder" and [a.name for a in spec.agents] == ["user", "coder"]
    assert [t["name"] for t in client.get("/api/teams").json()] == ["plotters"]
    assert client.post("/api/teams", json=plot_team()).status_code == 409
    changed = {**plot_team(), "task": "plot cubes", "max_turns": 4}
    assert client.put("/api/teams/plotters", json=changed).status_code == 200
    assert load_spec(tmp_path / "specs" / "plotters.json").task == "plot cubes"
    mismatch = client.put("/api/teams/other", json=changed)
    assert mismatch.status_code == 409 and "field 'name'" in mismatch.json()["detail"]
    assert client.delete("/api/teams/plotters").status_code == 204
    missing = client.get("/api/teams/plotters")
    assert missing.status_code == 404 and "plotters" in missing.json()["detail"]


def test_agent_definitions_crud(client: TestClient, tmp_path: Path) -> None:
    agent = {"name": "critic", "system_message": "Be brief.", "llm_config": False}
    assert client.post("/api/agents", json=agent).status_code == 201
    assert (tmp_path / "agents" / "critic.json").is_file()
    assert client.get("/api/agents/critic").json()["system_message"] == "Be brief."
    updated = client.put("/api/agents/critic", json={**agent, "kind": "conversable"})
    assert updated.json()["kind"] == "conversable"
    assert client.put("/api/agents/ghost", json={**agent, "name": "ghost"}).status_code == 404
    assert client.delete("/api/agents/critic").status_code == 204
    assert client.get("/api/agents").json() == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/agents", {"name": "has space"}, "name"),
        ("/api/agents", {"name": "a", "kind": "robot"}, "kind"),
        ("/api/agents", {"name": "a", "max_consecutive_auto_reply": -1}, "max_consecutive"),
        ("/api/teams", {**hello_team(), "initiator": "nobody"}, "initiator 'nobody'"),
        ("/api/teams", {**hello_team(), "agents": []}, "agents"),
        ("/api/teams", {**hello_team(), "colour": "red"}, "colour"),
        ("/api/runs", {"task": "no team"}, "team"),
        ("/api/runs/abc/answer", {}, "answer"),
    ],
)
def test_validation_errors_name_the_field(
    client: TestClient, path: str, body: dict[str, object], field: str
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]


def test_bad_names_and_unknown_things(client: TestClient) -> None:
    bad = client.get("/api/teams/bad%20name")
    assert bad.status_code == 400 and bad.json()["field"] == "team name"
    unknown = client.post("/api/runs", json={"team": "ghost", "task": "x"})
    assert unknown.status_code == 404 and "ghost" in unknown.json()["detail"]
    assert client.get("/api/runs/feedface0000").status_code == 404
    assert client.get("/api/runs/log:deadbeef:1").status_code == 404
    assert client.get("/api/cassettes/nope.jsonl/replay").status_code == 404
    client.post("/api/teams", json={**hello_team(), "task": None})
    no_task = client.post("/api/runs", json={"team": "hello"})
    assert no_task.status_code == 400 and no_task.json()["field"] == "task"


def test_a_token_guards_the_api_and_the_stream(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path, token="s3cret", gallery=False))
    denied = client.get("/api/teams")
    assert denied.status_code == 401 and "token" in denied.json()["detail"]
    assert client.get("/api/teams", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/teams", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/static/studio.js").status_code == 200  # code only, no data
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/api/runs/x/stream"),
    ):
        pass
    assert closed.value.code == 1008


def test_with_a_token_the_page_itself_holds_no_data_and_asks_to_sign_in(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path, token="s3cret", gallery=False))
    page = client.get("/")
    assert page.status_code == 200 and 'id="login-form"' in page.text
    assert client.get("/api/session").json() == {"token_required": True, "signed_in": False}


def test_without_a_token_the_page_is_open(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/studio.js" in page.text
    assert client.get("/static/studio.css").status_code == 200


def test_non_loopback_hosts_need_a_token(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(ConfigError, match="token") as error:
        serve(host="0.0.0.0", data_dir=tmp_path)
    assert "0.0.0.0" in str(error.value)
    with pytest.raises(ConfigError, match="token"):
        create_app(tmp_path, token="  ", gallery=False)


def test_without_a_token_only_local_pages_are_answered(client: TestClient) -> None:
    assert client.get("/api/teams", headers={"Host": "evil.example:8081"}).status_code == 403
    foreign = client.post(
        "/api/agents", json={"name": "x"}, headers={"Origin": "http://evil.example"}
    )
    assert foreign.status_code == 403 and "Origin" in foreign.text
    local = client.post("/api/agents", json={"name": "x"}, headers={"Origin": "http://127.0.0.1"})
    assert local.status_code == 201
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect(stream_url("x"), headers={"Origin": "http://evil.example"}),
    ):
        pass
    assert closed.value.code == 1008
