"""Team spec files: validation with clear errors, building and running teams."""

import json
from pathlib import Path
from typing import Any

import pytest

from convogen import ConfigError, StopReason
from convogen.specs import TeamSpec, build_team, load_spec, run_team, save_spec
from convogen.specs.models import parse_spec


def scripted(replies: list[str]) -> dict[str, Any]:
    return {"config_list": [{"model": "scripted", "api_type": "scripted", "replies": replies}]}


def two_agent_spec() -> dict[str, Any]:
    return {
        "name": "duo",
        "agents": [
            {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
            {"name": "helper", "llm_config": scripted(["All done. TERMINATE"])},
        ],
        "initiator": "user",
        "task": "say hi",
    }


def test_spec_round_trips_through_a_file(tmp_path: Path) -> None:
    spec = parse_spec(two_agent_spec())
    path = save_spec(spec, tmp_path / "duo.json")
    assert load_spec(path) == spec
    assert spec.recipient == "helper"


async def test_two_agent_spec_runs() -> None:
    result = await run_team(parse_spec(two_agent_spec()))
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.summary == "All done."


async def test_group_chat_spec_runs_round_robin() -> None:
    data = {
        "name": "trio",
        "type": "group_chat",
        "speaker_selection_method": "round_robin",
        "max_round": 4,
        "agents": [
            {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
            {"name": "a", "llm_config": scripted(["from a"])},
            {"name": "b", "llm_config": scripted(["from b TERMINATE"])},
        ],
        "initiator": "user",
    }
    team = build_team(parse_spec(data))
    result = await team.a_run("go", silent=True)
    assert team.groupchat is not None
    assert [m["name"] for m in team.groupchat.messages] == ["user", "a", "b"]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"initiator": "nobody"}, "initiator 'nobody'"),
        ({"agents": []}, "agents"),
        ({"colour": "red"}, "colour"),
        ({"type": "mob"}, "type"),
    ],
)
def test_invalid_specs_name_the_field(change: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_spec({**two_agent_spec(), **change})


def test_bad_agent_fields_and_tool_references() -> None:
    data = two_agent_spec()
    data["agents"][1]["name"] = "has space"
    with pytest.raises(ConfigError, match=r"agents\.1\.name"):
        parse_spec(data)
    data = two_agent_spec()
    data["agents"][1]["tools"] = ["no_colon"]
    with pytest.raises(ConfigError, match="module:function"):
        parse_spec(data)
    data["agents"][1]["tools"] = ["json:nope"]
    with pytest.raises(ConfigError, match="cannot be imported"):
        build_team(parse_spec(data))


def test_unreadable_spec_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_spec(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  'x': 1}")
    with pytest.raises(ConfigError, match="line 2"):
        load_spec(bad)


def test_tools_from_references_are_registered() -> None:
    data = two_agent_spec()
    data["agents"][1]["tools"] = ["spec_tools:word_count"]
    team = build_team(parse_spec(data))
    assert team.agents["user"].can_execute_function("word_count")
    tools = team.agents["helper"].llm_config["tools"]  # type: ignore[index]
    assert tools[0]["function"]["description"] == "Count the words of a text."


def test_model_dump_is_json() -> None:
    spec = TeamSpec.model_validate(two_agent_spec())
    assert json.loads(spec.model_dump_json())["name"] == "duo"
