"""Transcripts: extraction from cassettes, rendering, diffs, and the CLI functions."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from recording_scenarios import TASK, group_chat
from rich.console import Console

from convogen.state.recording import (
    CassetteError,
    cli_diff,
    cli_replay,
    diff_transcripts,
    load_transcript,
    record,
    render_diff,
    render_transcript,
    transcript_from_cassette,
)


def console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=120, color_system=None), buffer


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("group")
    user, manager, gc, _ = group_chat(tmp / "work")
    path = tmp / "group.jsonl"
    with record(path, metadata={"case": "group"}):
        user.initiate_chat(manager, message=TASK)
    return path, [dict(m) for m in gc.messages]


def msg(name: str, content: str) -> dict[str, Any]:
    return {"role": "user", "name": name, "content": content}


def test_transcript_has_each_group_message_once(recorded: Any) -> None:
    path, messages = recorded
    transcript = transcript_from_cassette(path)
    assert [m["name"] for m in transcript] == [m["name"] for m in messages]
    assert [m.get("content") for m in transcript] == [m.get("content") for m in messages]
    assert transcript[3]["tool_calls"][0]["function"]["name"] == "add"


def test_render_transcript_shows_speakers_and_tool_traffic(recorded: Any) -> None:
    out, buffer = console()
    render_transcript(recorded[0], out)
    text = buffer.getvalue()
    assert "#0 user" in text and "#1 coder" in text and "#3 analyst" in text
    assert "[tool call add(" in text and "[tool result call_1: 5]" in text


def test_speakers_are_coloured() -> None:
    buffer = io.StringIO()
    out = Console(file=buffer, width=80, color_system="standard", force_terminal=True)
    render_transcript([msg("alice", "hi"), msg("bob", "yo")], out)
    assert "\x1b[1;36m#0 alice" in buffer.getvalue()  # bold cyan
    assert "\x1b[1;35m#1 bob" in buffer.getvalue()  # bold magenta


def test_diff_of_equal_transcripts_is_empty(recorded: Any, tmp_path: Path) -> None:
    path, messages = recorded
    as_json = tmp_path / "messages.json"
    as_json.write_text(json.dumps({"messages": messages}))
    diff = diff_transcripts(path, path)
    assert diff.diff_is_empty and diff.count("equal") == len(messages)
    assert diff_transcripts(load_transcript(as_json), as_json).diff_is_empty
    # The cassette holds the speakers' own copies (role "assistant"); roles are not compared.
    assert diff_transcripts(path, messages).diff_is_empty


def test_diff_finds_changed_added_and_removed_messages() -> None:
    a = [msg("u", "hello"), msg("bot", "the answer is 4\nbye"), msg("u", "thanks")]
    b = [msg("u", "hello"), msg("bot", "the answer is 5\nbye"), msg("u", "thanks"), msg("bot", "!")]
    diff = diff_transcripts(a, b)
    assert not diff.diff_is_empty
    assert [e.status for e in diff.entries] == ["equal", "changed", "equal", "only_in_b"]
    changed = diff.entries[1]
    assert (changed.index_a, changed.index_b, changed.speaker) == (1, 1, "bot")
    assert "-the answer is 4" in changed.diff and "+the answer is 5" in changed.diff
    added = diff.entries[3]
    assert (added.index_a, added.index_b, added.speaker) == (None, 3, "bot")
    removed = diff_transcripts(b, a).entries[3]
    assert (removed.status, removed.index_a) == ("only_in_a", 3)

    out, buffer = console()
    render_diff(diff, out)
    text = buffer.getvalue()
    assert "~ changed a[1] b[1] bot" in text and "+ only_in_b b[3] bot" in text
    assert "2 equal, 1 changed, 0 only in a, 1 only in b" in text


def test_bad_transcript_sources_are_clear(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="no such file"):
        load_transcript(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"messages": 3}')
    with pytest.raises(CassetteError, match="expected a list of messages, got int"):
        load_transcript(bad)
    with pytest.raises(CassetteError, match=r"message \[1\] must be an object"):
        load_transcript([msg("u", "x"), "y"])  # type: ignore[list-item]


def test_cli_replay_shows_messages_selections_and_results(recorded: Any) -> None:
    out, buffer = console()
    assert cli_replay(recorded[0], out) == 0
    text = buffer.getvalue()
    assert "#0 user -> chat_manager" in text and TASK in text
    assert "next speaker (round 1, auto): coder - the LLM answered 'coder'" in text
    assert "exitcode: 0 (execution succeeded)" in text
    assert "effects recorded: code: 1, human: 2, llm: 7, tool: 1" in text
    assert "Results" in text and "termination_message" in text and "$" in text
    assert "metadata: {'case': 'group'}" in text


def test_cli_replay_of_a_broken_cassette_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("not a cassette\n")
    out, buffer = console()
    assert cli_replay(path, out) == 2
    assert "broken.jsonl, line 1: not valid JSON" in buffer.getvalue()


def test_cli_diff_exit_codes(recorded: Any, tmp_path: Path) -> None:
    path, messages = recorded
    changed = [*messages[:-1], {**messages[-1], "content": "something else"}]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(changed))
    out, buffer = console()
    assert cli_diff(path, path, out) == 0
    assert "transcripts are equal (6 messages)" in buffer.getvalue()
    out, buffer = console()
    assert cli_diff(path, other, out) == 1
    assert "changed a[5] b[5] analyst" in buffer.getvalue()
    assert "5 equal, 1 changed, 0 only in a, 0 only in b" in buffer.getvalue()
    assert "+something else" in buffer.getvalue()
    assert cli_diff(path, tmp_path / "nope.json", console()[0]) == 2


def test_introductions_and_relays_appear_once(tmp_path: Path) -> None:
    from convogen import ConversableAgent, GroupChat, GroupChatManager

    def member(name: str) -> ConversableAgent:
        agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
        agent.register_reply(ConversableAgent, lambda *a: (True, f"{name} speaking"))
        return agent

    a, b, c = member("a"), member("b"), member("c")
    gc = GroupChat(
        [a, b, c], max_round=3, speaker_selection_method="round_robin", send_introductions=True
    )
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    path = tmp_path / "intro.jsonl"
    with record(path):
        a.initiate_chat(manager, message="hello", silent=True)
    transcript = transcript_from_cassette(path)
    assert [m["name"] for m in transcript] == ["a", "chat_manager", "b", "c"]
    assert transcript[0]["content"] == "hello"


def test_cli_replay_reports_a_failed_run(tmp_path: Path) -> None:
    from convogen import AssistantAgent, ScriptedIO, UserProxyAgent
    from convogen.errors import HumanInputError
    from convogen.llm.scripted import scripted_llm_config

    user = UserProxyAgent("user", code_execution_config=False, io_stream=ScriptedIO(), silent=True)
    bot = AssistantAgent("bot", llm_config=scripted_llm_config(["hi TERMINATE"]), silent=True)
    path = tmp_path / "failed.jsonl"
    with record(path), pytest.raises(HumanInputError):
        user.initiate_chat(bot, message="hello")
    out, buffer = console()
    assert cli_replay(path, out) == 0
    text = buffer.getvalue()
    assert "effects recorded: human: 1, llm: 1 (1 raised)" in text
    assert "error: HumanInputError" in text
