"""Tables of the runtime-log database (SQLite); JSON columns hold text.

The classic AutoGen 0.2 tables (``chat_completions``, ``agents``, ``oai_wrappers``,
``oai_clients``, ``version``, ``events``, ``function_calls``) keep their 0.2 columns, so code
written for 0.2's log reads this one; ``chat_completions`` has convogen's columns added and
``llm_calls`` is a view of it. ``sessions``, ``chats``, ``effects``, ``messages`` and
``speaker_selections`` are convogen's own.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 2
CLASSIC_SCHEMA_VERSION = 1  # the ``version`` table, as classic AutoGen writes it

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,
    stopped_at REAL,
    pid INTEGER,
    config TEXT
);
CREATE TABLE IF NOT EXISTS chats (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    parent_chat_id INTEGER,
    sender TEXT,
    recipient TEXT,
    started_at REAL NOT NULL,
    finished_at REAL,
    stop_reason TEXT,
    stopped_by TEXT,
    stop_detail TEXT,
    summary TEXT,
    cost TEXT,
    total_cost REAL,
    error TEXT,
    UNIQUE (session_id, chat_id)
);
CREATE TABLE IF NOT EXISTS chat_completions (
    id INTEGER PRIMARY KEY,
    invocation_id TEXT,
    client_id INTEGER,
    wrapper_id INTEGER,
    session_id TEXT,
    source_name TEXT,
    request TEXT,
    response TEXT,
    is_cached INTEGER,
    cost REAL,
    start_time DATETIME DEFAULT CURRENT_TIMESTAMP,
    end_time DATETIME DEFAULT CURRENT_TIMESTAMP,
    chat_id INTEGER,
    model TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    latency_ms REAL,
    error TEXT,
    started_at REAL
);
CREATE VIEW IF NOT EXISTS llm_calls AS
    SELECT id, session_id, chat_id, source_name AS agent, model, request, response,
        prompt_tokens, completion_tokens, cost, latency_ms, COALESCE(is_cached, 0) AS cached,
        error, started_at
    FROM chat_completions;
CREATE TABLE IF NOT EXISTS agents (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER,
    wrapper_id INTEGER,
    session_id TEXT,
    name TEXT,
    class TEXT,
    init_args TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (agent_id, session_id)
);
CREATE TABLE IF NOT EXISTS oai_wrappers (
    id INTEGER PRIMARY KEY,
    wrapper_id INTEGER,
    session_id TEXT,
    init_args TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (wrapper_id, session_id)
);
CREATE TABLE IF NOT EXISTS oai_clients (
    id INTEGER PRIMARY KEY,
    client_id INTEGER,
    wrapper_id INTEGER,
    session_id TEXT,
    class TEXT,
    init_args TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (client_id, session_id)
);
CREATE TABLE IF NOT EXISTS version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version_number INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    event_name TEXT,
    source_id INTEGER,
    source_name TEXT,
    agent_module TEXT DEFAULT NULL,
    agent_class_name TEXT DEFAULT NULL,
    id INTEGER PRIMARY KEY,
    json_state TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS function_calls (
    source_id INTEGER,
    source_name TEXT,
    function_name TEXT,
    args TEXT DEFAULT NULL,
    returns TEXT DEFAULT NULL,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS effects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    chat_id INTEGER,
    kind TEXT NOT NULL,
    agent TEXT,
    name TEXT,
    request TEXT,
    result TEXT,
    latency_ms REAL,
    error TEXT,
    started_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    chat_id INTEGER,
    sender TEXT,
    recipient TEXT,
    message TEXT NOT NULL,
    timestamp REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS speaker_selections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    chat_id INTEGER,
    round INTEGER,
    speaker TEXT,
    method TEXT,
    reason TEXT,
    candidates TEXT,
    timestamp REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS chat_completions_chat ON chat_completions (session_id, chat_id);
CREATE INDEX IF NOT EXISTS effects_chat ON effects (session_id, chat_id);
CREATE INDEX IF NOT EXISTS messages_chat ON messages (session_id, chat_id);
CREATE INDEX IF NOT EXISTS selections_chat ON speaker_selections (session_id, chat_id)
"""


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables if missing (several sessions and processes share one file)."""
    with conn:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(
            "INSERT OR IGNORE INTO version (id, version_number) VALUES (1, ?)",
            (CLASSIC_SCHEMA_VERSION,),
        )
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
