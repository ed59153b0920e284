"""The command line: run a spec, list examples, errors exit with code 2."""

import json
from pathlib import Path

from typer.testing import CliRunner

from convogen.cli import app

runner = CliRunner(env={"COLUMNS": "200"})


def test_run_spec_file(tmp_path: Path) -> None:
    spec = {
        "name": "duo",
        "agents": [
            {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
            {
                "name": "helper",
                "llm_config": {
                    "config_list": [
                        {"model": "scripted", "api_type": "scripted", "replies": ["Hi! TERMINATE"]}
                    ]
                },
            },
        ],
        "initiator": "user",
    }
    path = tmp_path / "duo.json"
    path.write_text(json.dumps(spec))
    result = runner.invoke(app, ["run", str(path), "--task", "greet me"])
    assert result.exit_code == 0, result.output
    assert "termination_message" in result.output and "Hi!" in result.output


def test_bad_spec_exits_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "x", "agents": [], "initiator": "a"}))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert "agents" in result.output


def test_examples_are_listed_and_unknown_ones_rejected() -> None:
    listing = runner.invoke(app, ["example"])
    assert "groupchat_product_team" in listing.output
    assert runner.invoke(app, ["example", "nope"]).exit_code == 2


def test_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0 and result.output.strip()


def test_replay_and_diff_commands(tmp_path: Path) -> None:
    from convogen import AssistantAgent, UserProxyAgent
    from convogen.llm.scripted import scripted_llm_config
    from convogen.state.recording import record

    def run(path: Path, answer: str) -> None:
        bot = AssistantAgent("bot", llm_config=scripted_llm_config([answer]), silent=True)
        user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
        with record(path):
            user.initiate_chat(bot, message="hello", max_turns=1, silent=True)

    run(tmp_path / "a.jsonl", "forty-two")
    run(tmp_path / "b.jsonl", "forty-three")
    shown = runner.invoke(app, ["replay", str(tmp_path / "a.jsonl")])
    assert shown.exit_code == 0 and "forty-two" in shown.output
    same = runner.invoke(app, ["diff", str(tmp_path / "a.jsonl"), str(tmp_path / "a.jsonl")])
    assert same.exit_code == 0
    different = runner.invoke(app, ["diff", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")])
    assert different.exit_code == 1 and "forty-three" in different.output


def test_logs_commands_answer_cost_and_stop_reason(tmp_path: Path) -> None:
    from convogen import AssistantAgent, UserProxyAgent
    from convogen.agents.termination import ends_with_terminate
    from convogen.llm.scripted import scripted_llm_config
    from convogen.state.logging import start_logging, stop_logging

    db = tmp_path / "logs.db"
    bot = AssistantAgent("bot", llm_config=scripted_llm_config(["done TERMINATE"]), silent=True)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        is_termination_msg=ends_with_terminate,
    )
    start_logging(str(db))
    try:
        result = user.initiate_chat(bot, message="hello", silent=True)
    finally:
        stop_logging()
    listing = runner.invoke(app, ["logs", "list", "--db", str(db)])
    assert listing.exit_code == 0 and "termination_message" in listing.output
    shown = runner.invoke(app, ["logs", "show", str(result.chat_id), "--db", str(db)])
    assert shown.exit_code == 0 and "termination_message" in shown.output
    exported = runner.invoke(
        app, ["logs", "export", str(result.chat_id), "--format", "json", "--db", str(db)]
    )
    assert exported.exit_code == 0 and "done TERMINATE" in exported.output
    usage = runner.invoke(app, ["logs", "usage", "--db", str(db)])
    assert usage.exit_code == 0 and "scripted" in usage.output
