"""Classic ``AgentBuilder``: a builder model designs the team, from the test server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from convogen.agentchat import AssistantAgent, UserProxyAgent
from convogen.agentchat.contrib.agent_builder import AgentBuilder
from convogen.errors import ConfigError
from convogen.llm.test_server import OpenAICompatibleTestServer

TASK = "Find the latest paper on GPT-4 on arxiv and find its potential applications."


NAMES_ANSWER = {"names": "Research_Expert, Application Expert"}


def question(body: dict[str, Any]) -> str:
    """Which of the builder's questions a request asks."""
    prompt = str(body["messages"][-1]["content"])
    for marker, kind in (
        ("experts who together", "names"),
        ("Write the profile", "profile"),
        ("Sum up the profile", "description"),
        ("Would programming", "coding"),
        ("pick the expert from the pool", "selection"),
    ):
        if marker in prompt:
            return kind
    return "unknown"


def builder_model(body: dict[str, Any]) -> str:
    """Answers the builder's questions as a model would."""
    found = re.search(r"# Expert name\n(\S+)", str(body["messages"][-1]["content"]))
    name = found.group(1) if found else "?"
    return {
        "names": NAMES_ANSWER["names"],
        "profile": f"## Your role\n{name} reads papers.",
        "description": f"{name} summarises research.",
        "coding": "NO",
        "selection": '```json\n{"reading papers": "Paper_Reader: reads arxiv papers", '
        '"legal": "None"}\n```',
    }.get(question(body), "unexpected prompt")


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(builder_model) as srv:
        yield srv


@pytest.fixture
def config_dir(tmp_path: Path, server: OpenAICompatibleTestServer) -> Path:
    entries = [
        {"model": "builder-model", "base_url": server.base_url, "api_key": "sk-test"},
        {"model": "agent-model", "base_url": server.base_url, "api_key": "sk-test"},
    ]
    (tmp_path / "OAI_CONFIG_LIST").write_text(json.dumps(entries))
    return tmp_path


def make_builder(config_dir: Path, **kwargs: Any) -> AgentBuilder:
    return AgentBuilder(
        config_file_or_env="OAI_CONFIG_LIST",
        config_file_location=str(config_dir),
        builder_model="builder-model",
        agent_model="agent-model",
        **kwargs,
    )


def test_build_returns_agents_named_by_the_builder_model(config_dir: Path) -> None:
    agents, configs = make_builder(config_dir).build(TASK, {"temperature": 0})
    assert [a.name for a in agents] == ["Research_Expert", "Application_Expert"]
    assert all(isinstance(a, AssistantAgent) for a in agents)
    assert configs["building_task"] == TASK
    assert configs["coding"] is False


def test_system_messages_and_descriptions_come_from_the_model(config_dir: Path) -> None:
    agents, configs = make_builder(config_dir).build(TASK, {"temperature": 0})
    assert "Research_Expert reads papers." in agents[0].system_message
    assert "Research_Expert, Application_Expert" in agents[0].system_message
    assert agents[0].description == "Research_Expert summarises research."
    assert (
        configs["agent_configs"][1]["system_message"]
        == "## Your role\nApplication_Expert reads papers."
    )


def test_builder_asks_names_then_profiles_then_descriptions_then_coding(
    config_dir: Path, server: OpenAICompatibleTestServer
) -> None:
    make_builder(config_dir).build(TASK, {"temperature": 0})
    asked = [question(r) for r in server.requests]
    assert asked == ["names", "profile", "profile", "description", "description", "coding"]
    assert all(r["model"] == "builder-model" for r in server.requests)


def test_built_agents_answer_with_the_agent_model(
    config_dir: Path, server: OpenAICompatibleTestServer
) -> None:
    agents, _ = make_builder(config_dir).build(TASK, {"temperature": 0})
    agents[0].generate_reply(messages=[{"role": "user", "content": "hi"}])
    assert server.requests[-1]["model"] == "agent-model"


def test_coding_adds_a_computer_terminal_that_runs_code(config_dir: Path) -> None:
    agents, configs = make_builder(config_dir).build(TASK, {}, coding=True)
    terminal = agents[-1]
    assert isinstance(terminal, UserProxyAgent)
    assert terminal.name == "Computer_terminal"
    assert terminal.code_execution_config == configs["code_execution_config"]
    assert "Computer_terminal" in agents[0].system_message


def test_max_agents_caps_the_team(config_dir: Path) -> None:
    agents, _ = make_builder(config_dir).build(TASK, {}, max_agents=1)
    assert [a.name for a in agents] == ["Research_Expert"]


def test_builder_model_missing_from_the_config_list_is_a_runtime_error(
    config_dir: Path,
) -> None:
    with pytest.raises(RuntimeError, match="no entry of OAI_CONFIG_LIST"):
        AgentBuilder(config_file_location=str(config_dir), builder_model="gpt-9")


def test_saved_configs_load_the_same_team_without_the_model(
    config_dir: Path, server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    builder = make_builder(config_dir)
    built, _ = builder.build(TASK, {})
    path = builder.save(str(tmp_path / "team.json"))
    calls = server.request_count
    loaded, configs = make_builder(config_dir).load(path)
    assert [a.name for a in loaded] == [a.name for a in built]
    assert [a.system_message for a in loaded] == [a.system_message for a in built]
    assert server.request_count == calls
    assert configs["building_task"] == TASK


def test_load_names_a_missing_field(config_dir: Path) -> None:
    with pytest.raises(ConfigError, match="coding"):
        make_builder(config_dir).load(config_json=json.dumps({"agent_configs": []}))


def test_clear_agent_forgets_it(config_dir: Path) -> None:
    builder = make_builder(config_dir)
    builder.build(TASK, {})
    builder.clear_agent("Research_Expert")
    assert list(builder.agent_procs_assign) == ["Application_Expert"]
    builder.clear_all_agents()
    assert builder.agent_procs_assign == {}


def test_build_from_library_takes_matching_agents_and_builds_missing_ones(
    config_dir: Path,
) -> None:
    library = [
        {"name": "Paper_Reader", "description": "reads arxiv papers", "system_message": "Read."},
        {"name": "Chef", "description": "cooks pasta", "system_message": "Cook."},
    ]
    agents, configs = make_builder(config_dir).build_from_library(
        "reading papers\nlegal", json.dumps(library), {}, top_k=1, embedding_model="hashing"
    )
    names = [a.name for a in agents]
    assert names[0] == "Paper_Reader"
    assert "Research_Expert" in names
    assert "Chef" not in names
    assert configs["agent_configs"][0]["system_message"] == "Read."


def test_config_list_can_come_from_the_environment_variable(
    server: OpenAICompatibleTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = {"model": "env-model", "base_url": server.base_url, "api_key": "sk-test"}
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps([entry]))
    agents, _ = AgentBuilder(builder_model="env-model").build(TASK, {}, coding=False)
    assert len(agents) == 2
    assert {r["model"] for r in server.requests} == {"env-model"}


def test_set_builder_model_switches_the_model_that_designs(
    config_dir: Path, server: OpenAICompatibleTestServer
) -> None:
    builder = make_builder(config_dir)
    builder.set_builder_model("agent-model")
    builder.build(TASK, {}, coding=False)
    assert server.requests[0]["model"] == "agent-model"


def test_unknown_build_argument_is_named(config_dir: Path) -> None:
    with pytest.raises(ConfigError, match="colour"):
        make_builder(config_dir).build(TASK, {}, colour="blue")


def test_expert_names_may_come_as_a_numbered_list(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(NAMES_ANSWER, "names", "1. Python Expert\n2. Math_Expert.")
    agents, _ = make_builder(config_dir).build(TASK, {}, coding=False)
    assert [a.name for a in agents] == ["Python_Expert", "Math_Expert"]
