"""The cassette format: header, one flushed line per entry, clear errors, crash tolerance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from convogen import ConversableAgent, GroupChat, GroupChatManager
from convogen.state.recording import (
    CassetteError,
    CassetteWarning,
    CassetteWriter,
    load_cassette,
    record,
)
from convogen.state.recording.cassette import FORMAT_NAME, FORMAT_VERSION


def member(name: str) -> ConversableAgent:
    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, lambda *a: (True, f"{name} speaking"))
    return agent


def write(path: Path, lines: list[Any], tail: str = "") -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in lines) + tail, encoding="utf-8")
    return path


HEADER = {
    "format": FORMAT_NAME,
    "version": FORMAT_VERSION,
    "created": "2026-01-01T00:00:00+00:00",
    "convogen_version": "0.1.0",
}
EFFECT = {"type": "effect", "seq": 0, "kind": "human", "request": {"agent": "u"}, "result": "hi"}


def test_events_are_written_as_json_with_names(tmp_path: Path) -> None:
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    path = tmp_path / "events.jsonl"
    with record(path, metadata={"run": 7}):
        a.initiate_chat(manager, message="hello", silent=True)
    header, *entries = [json.loads(line) for line in path.read_text().splitlines()]
    assert header["format"] == FORMAT_NAME and header["version"] == 1
    assert header["metadata"] == {"run": 7} and header["created"].endswith("+00:00")
    assert [e["seq"] for e in entries] == list(range(len(entries)))
    kinds = [e["event"] for e in entries]
    assert kinds[0] == "chat_started" and kinds[-1] == "chat_finished"
    first = entries[1]
    assert (first["sender"], first["recipient"]) == ("a", "chat_manager")
    assert first["message"]["content"] == "hello"
    selected = next(e for e in entries if e["event"] == "speaker_selected")
    assert selected["speaker"] == "b" and selected["method"] == "round_robin"
    assert selected["candidates"] == ["a", "b"] and "reason" in selected
    result = entries[-1]["result"]
    assert result["stop_reason"] == "max_round" and result["chat_id"] == entries[0]["chat_id"]
    assert set(result) >= {"summary", "cost", "stopped_by"}


def test_each_entry_is_on_disk_before_the_next_one(tmp_path: Path) -> None:
    writer = CassetteWriter(tmp_path / "live.jsonl")
    writer.append(dict(EFFECT))
    # Still open, as after a crash: what is on disk already loads.
    assert load_cassette(writer.path).entries == [EFFECT]
    writer.close()
    writer.close()
    with pytest.raises(CassetteError, match="closed"):
        writer.append(dict(EFFECT, seq=1))


def test_truncated_last_line_is_dropped_with_a_warning(tmp_path: Path) -> None:
    full = json.dumps(dict(EFFECT, seq=1))
    path = write(tmp_path / "cut.jsonl", [HEADER, EFFECT], tail=full[: len(full) // 2])
    with pytest.warns(CassetteWarning, match=r"cut\.jsonl, line 3: the last line is incomplete"):
        cassette = load_cassette(path)
    assert cassette.entries == [EFFECT]
    with pytest.raises(CassetteError, match=r"cut\.jsonl, line 3: not valid JSON"):
        load_cassette(path, allow_truncated_tail=False)


@pytest.mark.parametrize(
    ("lines", "tail", "match"),
    [
        ([], "", r"line 1: the file is empty"),
        ([{"format": "other"}], "", r"line 1: format='other'"),
        ([dict(HEADER, version=2)], "", r"line 1: version=2 is newer"),
        ([dict(HEADER, metadata=[1])], "", r"line 1: metadata=\[1\] must be an object"),
        ([HEADER, EFFECT, dict(EFFECT)], "", r"line 3: seq=0 appears twice"),
        ([HEADER, dict(EFFECT, type="note")], "", r"line 2: type='note'"),
        ([HEADER, dict(EFFECT, seq=-1)], "", r"line 2: seq=-1"),
        ([HEADER, dict(EFFECT, request=[])], "", r"line 2: request=\[\] must be an object"),
        (
            [HEADER, dict(EFFECT, error={"type": "X", "message": "m"})],
            "",
            r"line 2: an effect needs exactly one",
        ),
        ([HEADER, {"type": "event", "seq": 0}], "", r"line 2: event=None"),
        ([HEADER], "{not json\n", r"line 2: not valid JSON"),
    ],
)
def test_malformed_cassettes_name_the_file_and_line(
    tmp_path: Path, lines: list[Any], tail: str, match: str
) -> None:
    path = write(tmp_path / "bad.jsonl", lines, tail)
    with pytest.raises(CassetteError, match=r"bad\.jsonl, " + match):
        load_cassette(path)


def test_a_bad_line_before_the_end_is_an_error_even_without_newline(tmp_path: Path) -> None:
    path = write(tmp_path / "mid.jsonl", [HEADER], tail='{"broken\n' + json.dumps(EFFECT))
    with pytest.raises(CassetteError, match=r"mid\.jsonl, line 2: not valid JSON"):
        load_cassette(path)


def test_missing_file_is_a_cassette_error(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match=r"nope\.jsonl: cannot be read"):
        load_cassette(tmp_path / "nope.jsonl")
