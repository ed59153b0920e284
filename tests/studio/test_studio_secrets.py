"""Studio secrets: keys are environment-variable references, never stored or returned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from studio_support import hello_team, local_client

from convogen.studio import create_app

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return local_client(create_app(tmp_path, gallery=False))


def agent_with(entry: dict[str, Any]) -> dict[str, Any]:
    return {"name": "coder", "llm_config": {"config_list": [{"model": "gpt-4o-mini", **entry}]}}


def test_a_literal_api_key_is_refused_naming_the_field(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/api/agents", json=agent_with({"api_key": KEY}))
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "llm_config.config_list[0].api_key"
    assert "api_key_env" in body["detail"] and KEY not in response.text
    assert not (tmp_path / "agents" / "coder.json").exists()


def test_a_literal_secret_header_in_a_team_member_is_refused(client: TestClient) -> None:
    team = hello_team()
    team["agents"][1]["llm_config"] = {
        "config_list": [{"model": "m", "default_headers": {"Authorization": f"Bearer {KEY}"}}]
    }
    response = client.post("/api/teams", json=team)
    assert response.status_code == 400
    assert response.json()["field"] == (
        "agents[greeter].llm_config.config_list[0].default_headers.Authorization"
    )


def test_an_environment_reference_is_stored_and_returned_as_written(
    client: TestClient, tmp_path: Path
) -> None:
    created = client.post("/api/agents", json=agent_with({"api_key_env": "OPENAI_API_KEY"}))
    assert created.status_code == 201, created.text
    stored = json.loads((tmp_path / "agents" / "coder.json").read_text())
    assert stored["llm_config"]["config_list"][0] == {
        "model": "gpt-4o-mini",
        "api_key_env": "OPENAI_API_KEY",
    }
    listed = client.get("/api/agents").json()
    assert listed[0]["llm_config"]["config_list"][0]["api_key_env"] == "OPENAI_API_KEY"


def test_a_reference_that_is_not_a_variable_name_is_refused(client: TestClient) -> None:
    response = client.post("/api/agents", json=agent_with({"api_key_env": KEY}))
    assert response.status_code == 422
    assert "api_key_env" in response.json()["detail"] and KEY not in response.text


def test_a_key_written_into_a_file_by_hand_is_never_returned(
    client: TestClient, tmp_path: Path
) -> None:
    agent = agent_with({"api_key": KEY})
    (tmp_path / "agents" / "coder.json").write_text(json.dumps(agent))
    team = hello_team()
    team["agents"][1]["llm_config"]["config_list"][0]["api_key"] = KEY
    (tmp_path / "specs" / "hello.json").write_text(json.dumps(team))
    for path in ("/api/agents", "/api/agents/coder", "/api/teams", "/api/teams/hello"):
        response = client.get(path)
        assert response.status_code == 200 and KEY not in response.text, path
