"""Tables of the runtime-log database (SQLite); JSON columns hold text."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

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
CREATE TABLE IF NOT EXISTS llm_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    chat_id INTEGER,
    agent TEXT,
    model TEXT,
    request TEXT,
    response TEXT,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    cost REAL,
    latency_ms REAL,
    cached INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at REAL NOT NULL
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
CREATE INDEX IF NOT EXISTS llm_calls_chat ON llm_calls (session_id, chat_id);
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
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
