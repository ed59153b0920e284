"""``convogen init``, ``convogen spec schema`` and ``convogen run`` with model options."""

import json
from pathlib import Path

from typer.testing import CliRunner

from convogen.cli import app
from convogen.llm.test_server import OpenAICompatibleTestServer
from convogen.specs.models import TeamSpec, load_spec

runner = CliRunner(env={"COLUMNS": "200"})


def test_init_writes_two_valid_team_specs_and_a_tool_module(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "proj")])
    assert result.exit_code == 0, result.output
    local = load_spec(tmp_path / "proj" / "team_local.json")
    remote = load_spec(tmp_path / "proj" / "team_config_list.json")
    assert local.agents[1].llm_config is None  # the embedded model
    assert remote.agents[1].llm_config == {
        "config_list": [{"model": "gpt-4o-mini", "api_key_env": "OPENAI_API_KEY"}]
    }
    assert remote.agents[1].tools == ["tools:word_count"]
    assert "def word_count(text: str) -> int:" in (tmp_path / "proj" / "tools.py").read_text()


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    again = runner.invoke(app, ["init", str(tmp_path)])
    assert again.exit_code == 2
    assert "pass --force" in again.output
    assert runner.invoke(app, ["init", str(tmp_path), "--force"]).exit_code == 0


def test_spec_schema_is_the_team_spec_json_schema() -> None:
    result = runner.invoke(app, ["spec", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == TeamSpec.model_json_schema()


def test_run_uses_a_config_list_model_and_its_tools(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path / "proj")])
    tool_call = {
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "word_count", "arguments": '{"text": "a b c"}'},
            }
        ],
    }
    with OpenAICompatibleTestServer([tool_call, "There are 3 words. TERMINATE"]) as server:
        config = tmp_path / "configs.json"
        entry = {"model": "gpt-4o-mini", "base_url": server.base_url, "api_key": "t"}
        config.write_text(json.dumps([entry]))
        spec = tmp_path / "proj" / "team_config_list.json"
        result = runner.invoke(app, ["run", str(spec), "--config", str(config)])
        assert result.exit_code == 0, result.output
        assert "There are 3 words." in result.output
        tool_result = server.requests[1]["messages"][-1]
        assert tool_result["role"] == "tool" and tool_result["content"] == "3"


def test_model_options_replace_the_models_of_model_backed_agents_only(tmp_path: Path) -> None:
    from convogen.cli.project import starter_files, with_model
    from convogen.specs.models import parse_spec

    team = parse_spec(json.loads(starter_files()["team_local.json"]))
    chosen = {"config_list": [{"model": "m", "api_key": "k"}]}
    replaced = with_model(team, chosen)
    assert [a.llm_config for a in replaced.agents] == [None, chosen]
    assert replaced.manager_llm_config == chosen


def test_run_without_any_task_names_the_option(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    spec = json.loads((tmp_path / "team_local.json").read_text())
    del spec["task"]
    (tmp_path / "team_local.json").write_text(json.dumps(spec))
    result = runner.invoke(app, ["run", str(tmp_path / "team_local.json")])
    assert result.exit_code == 2
    assert "invalid --task=None: give a task (the spec has none)" in result.output
