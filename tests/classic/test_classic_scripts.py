"""Classic AutoGen 0.2-style scripts (only the import changed) run against a local server.

Each script in ``scripts/`` is written the way the 0.2 documentation writes its examples and
imports only ``convogen`` and its classic module paths. It reads ``OAI_CONFIG_LIST`` from the
environment, as the documentation's scripts do, which here points at the repository's local
OpenAI-compatible test server. Each script runs in its own interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from convogen.llm.test_server import OpenAICompatibleTestServer

SCRIPTS = Path(__file__).parent / "scripts"
NAMES = ("Planner", "Engineer", "Reviewer", "Admin")
STDLIB_OR_CONVOGEN = {"convogen", "json", "os", "sqlite3", "sys", "tempfile", "types", "typing"}


def run_script(
    name: str,
    tmp_path: Path,
    replies: Sequence[Any] | Callable[[dict[str, Any]], Any] = (),
    stdin: str = "",
) -> tuple[dict[str, str], OpenAICompatibleTestServer]:
    """Run one script against a fresh test server; return its ``KEY value`` lines."""
    with OpenAICompatibleTestServer(replies=replies) as server:
        config_list = [{"model": "gpt-4o", "base_url": server.base_url, "api_key": "sk-test"}]
        env = {**os.environ, "OAI_CONFIG_LIST": json.dumps(config_list)}
        proc = subprocess.run(
            [sys.executable, str(SCRIPTS / name)],
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout}\n{proc.stderr}"
    lines = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(" ")
        lines.setdefault(key, value)
    return lines, server


def test_two_agent_chat_reports_summary_and_classic_cost(tmp_path: Path) -> None:
    out, server = run_script("two_agent_chat.py", tmp_path, ["NVDA rose, TESLA fell. TERMINATE"])
    assert out["HISTORY"] == "2"
    assert out["SUMMARY"] == "NVDA rose, TESLA fell."
    assert out["COST_KEYS"] == "['gpt-4o']"
    assert out["TOTAL_COST_IS_NUMBER"] == "True"
    assert server.requests[0]["temperature"] == 0


def test_code_written_by_the_assistant_runs_in_the_executor(tmp_path: Path) -> None:
    code = (
        "```python\nwith open('answer.txt', 'w') as f:\n    f.write(str(6 * 7))\nprint(6 * 7)\n```"
    )
    out, _ = run_script("code_execution.py", tmp_path, [code, "Done. TERMINATE"])
    assert out["EXECUTED"] == "exitcode: 0 (execution succeeded)"
    assert out["OUTPUT_HAS_42"] == "True"
    assert out["FILE"] == "42"


def test_registered_tool_is_offered_called_and_answered(tmp_path: Path) -> None:
    call = {
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {
                    "name": "calculator",
                    "arguments": json.dumps({"a": 232, "b": 32, "operator": "-"}),
                },
            }
        ]
    }
    out, server = run_script("tools_register_function.py", tmp_path, [call, "200. TERMINATE"])
    assert out["SCHEMA"] == "calculator"
    assert out["TOOL_RESULT"] == "200"
    assert out["LAST"] == "200. TERMINATE"
    offered = server.requests[0]["tools"][0]["function"]
    assert offered["parameters"]["properties"]["operator"]["enum"] == ["+", "-", "*", "/"]


def test_sequential_chats_carry_the_summary_over(tmp_path: Path) -> None:
    out, _ = run_script("sequential_chats.py", tmp_path, ["15", "30"])
    assert out["N_RESULTS"] == "2"
    assert out["FIRST"] == "15"
    assert out["SECOND"] == "30"
    assert out["CARRYOVER_SENT"] == "True"


def test_nested_critic_chat_feeds_the_writer(tmp_path: Path) -> None:
    replies = ["Draft v1", "critique-feedback: add detail", "Draft v2"]
    out, server = run_script("nested_chats.py", tmp_path, replies)
    assert out["REFLECTING"] == "User"  # 0.2.35 passes the agent that owns the nested chats
    assert out["TURNS"] == "4"
    assert out["NESTED_FEEDBACK_IN_CHAT"] == "True"
    assert out["SUMMARY"] == "Draft v2"
    assert server.request_count == 3


def _group_reply(plan: list[str]) -> Callable[[dict[str, Any]], str]:
    """Answer speaker-selection requests with a candidate name, other requests from ``plan``."""

    def reply(body: dict[str, Any]) -> str:
        last = str(body["messages"][-1].get("content") or "")
        if "speaks next" not in last and "next role" not in last:
            return plan.pop(0)
        mentioned = [n for n in NAMES if n in last]
        choice = "Planner" if "Planner" in mentioned else mentioned[0]
        if "response_format" in body:  # a structured choice was asked for
            return json.dumps({"speaker": choice})
        return choice

    return reply


def test_group_chat_follows_the_allowed_transitions(tmp_path: Path) -> None:
    plan = ["Plan: add numbers.", "def add(a, b): return a + b", "Looks good.", "TERMINATE"]
    out, _ = run_script("groupchat_transitions.py", tmp_path, _group_reply(plan))
    assert out["SPEAKERS"] == "Admin,Planner,Engineer,Reviewer,Planner"
    assert out["LAST_SPEAKER"] == "Planner"
    assert out["STRING_ROUNDTRIP"] == "5"


def test_custom_model_client_runs_in_chat_and_in_the_wrapper(tmp_path: Path) -> None:
    out, server = run_script("custom_model_client.py", tmp_path)
    assert out["REPLY"] == "echo: Write python code to print hello world"
    assert out["DIRECT"] == "TERMINATE"
    assert out["ATTR"] == "TERMINATE"
    assert server.request_count == 0


def test_disk_cache_answers_the_second_run(tmp_path: Path) -> None:
    out, server = run_script("caching.py", tmp_path, ["Paris."])
    assert out["FIRST"] == "Paris."
    assert out["SAME"] == "True"
    assert server.request_count == 1


def test_runtime_log_has_the_classic_tables(tmp_path: Path) -> None:
    out, _ = run_script("runtime_logging_chat.py", tmp_path, ["324 meters. TERMINATE"])
    assert out["ROWS"] == "1"
    assert out["SESSION_MATCH"] == "True"
    assert out["REQUEST_MESSAGES"] == "2"
    assert out["RESPONSE_TEXT"] == "324 meters. TERMINATE"
    assert out["AGENTS"] == "['assistant', 'user_proxy']"


def test_openai_wrapper_returns_openai_style_responses(tmp_path: Path) -> None:
    out, server = run_script("openai_wrapper.py", tmp_path, ["4", "6"])
    assert out["TEXT"] == "4"
    assert out["ATTR"] == "4"
    assert out["MODEL"] == "gpt-4o"
    assert out["USAGE"] == "True True"
    assert out["COST_IS_NUMBER"] == "True"
    assert out["SUMMARY_HAS_TOTAL"] == "True"
    assert out["TEMPLATED"] == "6"
    assert server.requests[1]["messages"][0]["content"] == "Solve 3+3"


def test_human_answers_each_turn_through_input(tmp_path: Path) -> None:
    out, _ = run_script(
        "human_input_always.py", tmp_path, ["too low", "too high"], stdin="60\n53\n"
    )
    assert out["HUMAN_TURNS"] == "['10', '60', '53']"
    assert out["HUMAN_INPUT"] == "['60', '53']"


@pytest.mark.parametrize("script", sorted(p.name for p in SCRIPTS.glob("*.py")))
def test_scripts_import_only_convogen(script: str) -> None:
    for line in (SCRIPTS / script).read_text().splitlines():
        code = line.split("#", 1)[0].strip()
        assert not code.startswith(("import autogen", "from autogen")), line
        if code.startswith(("import ", "from ")):
            module = code.split()[1]
            assert module.split(".")[0] in STDLIB_OR_CONVOGEN, line


def test_readme_first_chat_is_this_script_and_runs(tmp_path: Path) -> None:
    script = (SCRIPTS / "readme_first_chat.py").read_text()
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert script in readme, "README's 'A first chat' must show tests/classic/scripts/..."
    code = "```python\nprint([n * n for n in range(1, 6)])\n```"
    _, server = run_script("readme_first_chat.py", tmp_path, [code, "TERMINATE"])
    executed = server.requests[1]["messages"][-1]["content"]
    assert executed.startswith("exitcode: 0 (execution succeeded)")
    assert "[1, 4, 9, 16, 25]" in executed
    assert server.request_count == 2
