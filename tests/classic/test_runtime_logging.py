"""Classic ``runtime_logging``: the 0.2 logging notebook's flow, its tables and its file log."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from convogen import AssistantAgent, UserProxyAgent, runtime_logging
from convogen.interception import active_interceptors, has_sinks
from convogen.llm.scripted import scripted_llm_config
from convogen.llm.test_server import OpenAICompatibleTestServer
from convogen.logger import FileLogger, LoggerFactory, SqliteLogger
from convogen.logger.base_logger import BaseLogger

CLASSIC_TABLES = {
    "chat_completions",
    "agents",
    "oai_wrappers",
    "oai_clients",
    "version",
    "events",
    "function_calls",
}
API_KEY = "sk-test-secret-0123456789"
HEADER_SECRET = "Bearer header-secret-9876543210"


def ends_with_terminate(message: dict[str, Any]) -> bool:
    return str(message.get("content") or "").rstrip().endswith("TERMINATE")


def two_agent_chat(llm_config: dict[str, Any]) -> Any:
    assistant = AssistantAgent("assistant", llm_config=llm_config, silent=True)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        is_termination_msg=ends_with_terminate,
        silent=True,
    )
    return user.initiate_chat(assistant, message="What is the height of the Eiffel Tower?")


def scripted_chat() -> Any:
    config = scripted_llm_config(
        ["It is about 330 metres.", "Anything else? TERMINATE"], model="gpt-4", price=(1.0, 2.0)
    )
    return two_agent_chat(config)


@pytest.fixture(autouse=True)
def always_stopped() -> Iterator[None]:
    yield
    runtime_logging.stop()


def rows(db: Path, sql: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_start_returns_a_session_id_and_enables_logging(tmp_path: Path) -> None:
    session_id = runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    assert uuid.UUID(session_id) and runtime_logging.logging_enabled()
    runtime_logging.stop()
    assert not runtime_logging.logging_enabled()


def test_logging_costs_nothing_until_started() -> None:
    runtime_logging.stop()
    assert active_interceptors() == () and not has_sinks()


def test_notebook_flow_writes_chat_completions_rows(tmp_path: Path) -> None:
    db = tmp_path / "logs.db"
    session_id = runtime_logging.start(config={"dbname": str(db)})
    result = scripted_chat()
    runtime_logging.stop()
    completions = rows(db, "SELECT * FROM chat_completions ORDER BY id")
    assert len(completions) == 2
    first = completions[0]
    assert first["session_id"] == session_id and first["source_name"] == "assistant"
    assert first["invocation_id"] and first["is_cached"] == 0
    request = json.loads(first["request"])
    assert request["messages"][-1]["content"] == "What is the height of the Eiffel Tower?"
    response = json.loads(first["response"])
    assert response["choices"][0]["message"]["content"] == "It is about 330 metres."
    assert response["usage"]["total_tokens"] > 0
    assert first["start_time"] <= first["end_time"]
    total = result.cost["usage_including_cached_inference"]["total_cost"]
    assert sum(r["cost"] for r in completions) == pytest.approx(total) and total > 0


def test_the_database_has_the_classic_tables(tmp_path: Path) -> None:
    db = tmp_path / "logs.db"
    runtime_logging.start(config={"dbname": str(db)})
    runtime_logging.stop()
    tables = {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables >= CLASSIC_TABLES
    assert rows(db, "SELECT version_number FROM version")[0][0] == 1


def test_agents_and_received_messages_are_logged(tmp_path: Path) -> None:
    db = tmp_path / "logs.db"
    runtime_logging.start(config={"dbname": str(db)})
    scripted_chat()
    runtime_logging.stop()
    agents = {(r["name"], r["class"]) for r in rows(db, "SELECT * FROM agents")}
    assert agents == {("user", "UserProxyAgent"), ("assistant", "AssistantAgent")}
    events = rows(db, "SELECT * FROM events ORDER BY id")
    assert [e["event_name"] for e in events] == ["received_message"] * 4
    assert events[0]["source_name"] == "assistant"
    assert json.loads(events[0]["json_state"])["sender"] == "user"


def test_get_connection_is_the_sqlite_connection_while_logging(tmp_path: Path) -> None:
    runtime_logging.start(config={"dbname": str(tmp_path / "logs.db")})
    conn = runtime_logging.get_connection()
    assert isinstance(conn, sqlite3.Connection)
    assert conn.execute("SELECT COUNT(*) FROM chat_completions").fetchone() == (0,)


def test_function_use_logged_by_hand_lands_in_function_calls(tmp_path: Path) -> None:
    db = tmp_path / "logs.db"
    runtime_logging.start(config={"dbname": str(db)})

    def add(a: int, b: int) -> int:
        return a + b

    runtime_logging.log_function_use("calculator", add, {"a": 1, "b": 2}, 3)
    runtime_logging.stop()
    (row,) = rows(db, "SELECT * FROM function_calls")
    assert (row["source_name"], row["function_name"]) == ("calculator", "add")
    assert json.loads(row["args"]) == {"a": 1, "b": 2} and json.loads(row["returns"]) == 3


def test_file_logger_writes_one_json_object_per_line(tmp_path: Path) -> None:
    path = tmp_path / "runtime.log"
    session_id = runtime_logging.start(logger_type="file", config={"filename": str(path)})
    scripted_chat()
    runtime_logging.stop()
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records[0]["session_id"] == session_id
    completions = [r for r in records if "invocation_id" in r]
    assert len(completions) == 2
    assert completions[0]["response"]["choices"][0]["message"]["content"].startswith("It is")
    assert {r["agent_name"] for r in records if "agent_name" in r} == {"user", "assistant"}


def test_file_logger_has_no_connection(tmp_path: Path) -> None:
    runtime_logging.start(logger_type="file", config={"filename": str(tmp_path / "r.log")})
    assert runtime_logging.get_connection() is None


def test_factory_builds_the_logger_named(tmp_path: Path) -> None:
    sqlite_logger = LoggerFactory.get_logger("sqlite", {"dbname": str(tmp_path / "a.db")})
    file_logger = LoggerFactory.get_logger("file", {"filename": str(tmp_path / "a.log")})
    assert isinstance(sqlite_logger, SqliteLogger) and isinstance(file_logger, FileLogger)


def test_an_unknown_logger_type_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="logger_type"):
        LoggerFactory.get_logger("csv")  # type: ignore[arg-type]


class ListLogger(BaseLogger):
    """A user-defined logger: keeps what it is given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def start(self) -> str:
        return "my-session"

    def log_chat_completion(self, invocation_id: Any, client_id: Any, wrapper_id: Any,
                            source: Any, request: Any, response: Any, is_cached: Any,
                            cost: Any, start_time: Any) -> None:  # fmt: skip
        self.calls.append(("completion", source))

    def log_new_agent(self, agent: Any, init_args: Any) -> None:
        self.calls.append(("agent", agent.name))

    def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
        self.calls.append(("event", name))

    def log_new_wrapper(self, wrapper: Any, init_args: Any) -> None: ...

    def log_new_client(self, client: Any, wrapper: Any, init_args: Any) -> None: ...

    def log_function_use(self, source: Any, function: Any, args: Any, returns: Any) -> None: ...

    def stop(self) -> None:
        self.calls.append(("stop", None))

    def get_connection(self) -> None:
        return None


def test_a_user_defined_logger_is_fed_from_the_runtime() -> None:
    mine = ListLogger()
    assert runtime_logging.start(logger=mine) == "my-session"
    scripted_chat()
    runtime_logging.stop()
    assert ("completion", "assistant") in mine.calls and ("agent", "user") in mine.calls
    assert ("event", "received_message") in mine.calls and mine.calls[-1] == ("stop", None)


def secret_config(server: OpenAICompatibleTestServer) -> dict[str, Any]:
    return {
        "config_list": [
            {
                "model": "gpt-4",
                "api_key": API_KEY,
                "base_url": server.base_url,
                "extra_headers": {"Authorization": HEADER_SECRET},
            }
        ],
        "cache_seed": None,
    }


def test_secrets_never_reach_the_database(tmp_path: Path) -> None:
    db = tmp_path / "logs.db"
    with OpenAICompatibleTestServer(["It is 330 m.", "Bye TERMINATE"]) as server:
        runtime_logging.start(config={"dbname": str(db)})
        two_agent_chat(secret_config(server))
        runtime_logging.stop()
    assert len(rows(db, "SELECT * FROM chat_completions")) == 2
    content = db.read_bytes()
    assert API_KEY.encode() not in content and b"header-secret" not in content


def test_secrets_never_reach_the_log_file(tmp_path: Path) -> None:
    path = tmp_path / "runtime.log"
    with OpenAICompatibleTestServer(["It is 330 m.", "Bye TERMINATE"]) as server:
        runtime_logging.start(logger_type="file", config={"filename": str(path)})
        two_agent_chat(secret_config(server))
        runtime_logging.stop()
    text = path.read_text()
    assert '"invocation_id"' in text
    assert API_KEY not in text and "header-secret" not in text
