"""Studio library: models, tools and agents defined once and referenced by name from teams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from studio_support import local_client, scripted, user_agent, wait_status

from convogen.llm.test_server import OpenAICompatibleTestServer
from convogen.specs import load_spec
from convogen.studio import create_app


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return local_client(create_app(tmp_path, gallery=False))


def greeter(reply: str = "Hi! TERMINATE", **extra: Any) -> dict[str, Any]:
    return {"name": "greeter", "llm_config": scripted([reply]), **extra}


def referencing_team(name: str = "hello") -> dict[str, Any]:
    return {"name": name, "agents": ["user", "greeter"], "initiator": "user", "task": "Hi"}


def add_members(client: TestClient) -> None:
    assert client.post("/api/agents", json=user_agent(mode="NEVER", code=False)).status_code == 201
    assert client.post("/api/agents", json=greeter()).status_code == 201


def test_a_team_references_library_agents_by_name(client: TestClient, tmp_path: Path) -> None:
    add_members(client)
    created = client.post("/api/teams", json=referencing_team())
    assert created.status_code == 201, created.text
    assert created.json()["agent_refs"] == ["user", "greeter"]
    spec = load_spec(tmp_path / "specs" / "hello.json")
    assert spec.agents[1].llm_config == scripted(["Hi! TERMINATE"])


def test_editing_an_agent_changes_the_teams_that_use_it(client: TestClient, tmp_path: Path) -> None:
    add_members(client)
    client.post("/api/teams", json=referencing_team("one"))
    client.post("/api/teams", json=referencing_team("two"))
    assert client.put("/api/agents/greeter", json=greeter("Hey. TERMINATE")).status_code == 200
    for team in ("one", "two"):
        spec = load_spec(tmp_path / "specs" / f"{team}.json")
        assert spec.agents[1].llm_config == scripted(["Hey. TERMINATE"])


def test_an_unknown_agent_reference_is_refused_naming_it(client: TestClient) -> None:
    add_members(client)
    refused = client.post("/api/teams", json={**referencing_team(), "agents": ["user", "ghost"]})
    assert refused.status_code == 400
    assert refused.json()["field"] == "agents[1]" and "ghost" in refused.json()["detail"]


def test_deleting_an_agent_in_use_is_refused_naming_the_teams(client: TestClient) -> None:
    add_members(client)
    client.post("/api/teams", json=referencing_team("one"))
    client.post("/api/teams", json=referencing_team("two"))
    refused = client.delete("/api/agents/greeter")
    assert refused.status_code == 409
    assert "'one'" in refused.json()["detail"] and "'two'" in refused.json()["detail"]
    client.delete("/api/teams/one")
    client.delete("/api/teams/two")
    assert client.delete("/api/agents/greeter").status_code == 204


def test_the_embedded_model_is_in_the_library_by_default(client: TestClient) -> None:
    models = client.get("/api/models").json()
    assert models[0]["name"] == "local" and models[0]["api_type"] == "local"
    refused = client.delete("/api/models/local")
    assert refused.status_code == 409 and "built-in" in refused.json()["detail"]


def test_a_model_names_the_variable_of_its_key_and_agents_use_it_by_name(
    client: TestClient, tmp_path: Path
) -> None:
    model = {"name": "gpt", "model": "gpt-4o-mini", "api_key_env": "OPENAI_API_KEY"}
    assert client.post("/api/models", json=model).status_code == 201
    agent = {"name": "writer", "model": "gpt"}
    assert client.post("/api/agents", json=agent).status_code == 201
    client.post("/api/agents", json=user_agent(mode="NEVER", code=False))
    team = {"name": "t", "agents": ["user", "writer"], "initiator": "user"}
    assert client.post("/api/teams", json=team).status_code == 201
    entry = load_spec(tmp_path / "specs" / "t.json").agents[1].llm_config["config_list"][0]  # type: ignore[index]
    assert entry == {"model": "gpt-4o-mini", "api_type": "openai", "api_key_env": "OPENAI_API_KEY"}
    client.put("/api/models/gpt", json={**model, "model": "gpt-4o"})
    entry = load_spec(tmp_path / "specs" / "t.json").agents[1].llm_config["config_list"][0]  # type: ignore[index]
    assert entry["model"] == "gpt-4o"


def test_a_model_in_use_cannot_be_deleted(client: TestClient) -> None:
    client.post("/api/models", json={"name": "gpt", "model": "gpt-4o-mini"})
    client.post("/api/agents", json={"name": "writer", "model": "gpt"})
    refused = client.delete("/api/models/gpt")
    assert refused.status_code == 409 and "'writer'" in refused.json()["detail"]


def test_a_model_takes_no_literal_key(client: TestClient) -> None:
    refused = client.post("/api/models", json={"name": "m", "model": "x", "api_key": "sk-abc"})
    assert refused.status_code == 422 and "api_key" in refused.json()["detail"]
    bad_env = client.post("/api/models", json={"name": "m", "model": "x", "api_key_env": "sk-1"})
    assert bad_env.status_code == 422 and "api_key_env" in bad_env.json()["detail"]


def test_an_agent_names_an_existing_model(client: TestClient) -> None:
    refused = client.post("/api/agents", json={"name": "writer", "model": "nope"})
    assert refused.status_code == 400 and refused.json()["field"] == "model"


def test_test_connection_answers_with_the_models_reply(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_TEST_KEY", "test-key")
    with OpenAICompatibleTestServer(replies=["OK"]) as server:
        model = {"name": "srv", "model": "gpt-4o", "base_url": server.base_url}
        client.post("/api/models", json={**model, "api_key_env": "STUDIO_TEST_KEY"})
        answer = client.post("/api/models/srv/test").json()
    assert answer["ok"] is True and answer["reply"] == "OK"


def test_test_connection_shows_a_failure_as_one_line(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_TEST_KEY", "test-key")
    model = {"name": "down", "model": "gpt-4o", "base_url": "http://127.0.0.1:9/v1"}
    client.post("/api/models", json={**model, "api_key_env": "STUDIO_TEST_KEY"})
    answer = client.post("/api/models/down/test").json()
    assert answer["ok"] is False and answer["error"] and "\n" not in answer["error"]


def test_test_connection_names_an_unset_key_variable(client: TestClient) -> None:
    model = {"name": "m", "model": "gpt-4o", "api_key_env": "STUDIO_SURELY_UNSET_VAR"}
    client.post("/api/models", json=model)
    answer = client.post("/api/models/m/test").json()
    assert answer["ok"] is False and "STUDIO_SURELY_UNSET_VAR" in answer["error"]


def test_a_tool_must_import_before_it_is_saved(client: TestClient) -> None:
    missing = client.post("/api/tools", json={"name": "t", "ref": "studio_tools:nope"})
    assert missing.status_code == 400 and missing.json()["field"] == "ref"
    not_callable = client.post(
        "/api/tools", json={"name": "t", "ref": "studio_tools:NOT_A_FUNCTION"}
    )
    assert not_callable.status_code == 400
    assert (
        client.post("/api/tools", json={"name": "t", "ref": "studio_tools:add"}).status_code == 201
    )


def test_a_tool_in_use_cannot_be_deleted(client: TestClient) -> None:
    client.post("/api/tools", json={"name": "add", "ref": "studio_tools:add"})
    client.post("/api/agents", json={**greeter(), "tools": ["studio_tools:add"]})
    refused = client.delete("/api/tools/add")
    assert refused.status_code == 409 and "'greeter'" in refused.json()["detail"]


def test_changing_a_tools_function_changes_the_agents_using_it(client: TestClient) -> None:
    client.post("/api/tools", json={"name": "calc", "ref": "studio_tools:add"})
    client.post("/api/agents", json={**greeter(), "tools": ["studio_tools:add"]})
    client.put("/api/tools/calc", json={"name": "calc", "ref": "studio_tools:shout"})
    assert client.get("/api/agents/greeter").json()["tools"] == ["studio_tools:shout"]


def group(**extra: Any) -> dict[str, Any]:
    agents = [user_agent(mode="NEVER", code=False), greeter(), {**greeter(), "name": "b"}]
    return {"name": "g", "type": "group_chat", "agents": agents, "initiator": "user", **extra}


def test_group_chat_transitions_must_name_members(client: TestClient) -> None:
    refused = client.post("/api/teams", json=group(allowed_transitions={"user": ["ghost"]}))
    assert refused.status_code == 422 and "ghost" in refused.json()["detail"]
    ok = client.post("/api/teams", json=group(allowed_transitions={"user": ["greeter"]}))
    assert ok.status_code == 201, ok.text


def test_a_group_chats_manager_model_is_a_library_reference(
    client: TestClient, tmp_path: Path
) -> None:
    client.post("/api/models", json={"name": "gpt", "model": "gpt-4o-mini"})
    created = client.post("/api/teams", json=group(manager_model="gpt"))
    assert created.json()["manager_model"] == "gpt"
    manager = load_spec(tmp_path / "specs" / "g.json").manager_llm_config
    assert manager == {"config_list": [{"model": "gpt-4o-mini", "api_type": "openai"}]}
    assert client.delete("/api/models/gpt").status_code == 409


def test_an_exported_team_imports_into_another_studio(client: TestClient, tmp_path: Path) -> None:
    add_members(client)
    client.post("/api/teams", json=referencing_team())
    exported = client.get("/api/teams/hello/export")
    assert "attachment" in exported.headers["content-disposition"]
    with local_client(create_app(tmp_path / "other", gallery=False)) as other:
        imported = other.post("/api/teams/import", json=exported.json())
        assert imported.status_code == 201, imported.text
        assert imported.json()["agent_refs"] == ["user", "greeter"]
        assert [a["name"] for a in other.get("/api/agents").json()] == ["greeter", "user"]


def test_an_import_whose_agent_differs_from_the_librarys_is_refused(client: TestClient) -> None:
    add_members(client)
    client.post("/api/teams", json=referencing_team())
    exported = client.get("/api/teams/hello/export").json()
    client.delete("/api/teams/hello")
    client.put("/api/agents/greeter", json=greeter("Other. TERMINATE"))
    refused = client.post("/api/teams/import", json=exported)
    assert refused.status_code == 409 and "'greeter'" in refused.json()["detail"]


def test_the_gallery_is_added_on_first_start_only(tmp_path: Path) -> None:
    with local_client(create_app(tmp_path)) as client:
        teams = [t["name"] for t in client.get("/api/teams").json()]
        assert {"gallery-local-poem", "gallery-scripted-hello", "gallery-scripted-review"} <= set(
            teams
        )
        assert client.delete("/api/teams/gallery-scripted-hello").status_code == 204
    with local_client(create_app(tmp_path)) as client:
        teams = [t["name"] for t in client.get("/api/teams").json()]
        assert "gallery-scripted-hello" not in teams


def test_the_gallerys_embedded_model_team_runs_offline(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    with local_client(create_app(tmp_path)) as client:
        assert client.post("/api/models/local/test").json()["ok"] is True
        run_id = client.post("/api/runs", json={"team": "gallery-local-poem"}).json()["run_id"]
        done = wait_status(client, run_id, ("finished", "failed"), timeout=120)
    assert done["status"] == "finished", done.get("error")
    assert [m["sender"] for m in done["messages"]] == ["human", "local_poet"]
