"""Every checkpoint store answers the same way: SQLite always, PostgreSQL when a DSN is given."""

from __future__ import annotations

import math
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from convogen.errors import ConfigError
from convogen.redaction import REDACTED
from convogen.state.store import (
    CheckpointConflictError,
    CheckpointError,
    CheckpointStore,
    RunNotFoundError,
    SQLiteCheckpointStore,
    open_store,
)

DSN_ENV = "CONVOGEN_TEST_POSTGRES_DSN"
Opener = Callable[[], CheckpointStore]


def postgres_dsn() -> str:
    """The test DSN, or skip saying why there is none."""
    dsn = os.environ.get(DSN_ENV)
    if not dsn:
        pytest.skip(f"{DSN_ENV} is not set (run scripts/postgres.sh to get one)")
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (extra 'postgres')")
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL at {DSN_ENV} is unreachable: {exc}")
    return dsn


@pytest.fixture(params=["sqlite", "postgres"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a fresh store; every call opens another connection to the same storage."""
    opened: list[CheckpointStore] = []
    if request.param == "sqlite":
        path = tmp_path / "checkpoints.db"

        def open_sqlite() -> CheckpointStore:
            opened.append(SQLiteCheckpointStore(path))
            return opened[-1]

        yield open_sqlite
    else:
        from convogen.state.store.postgres import PostgresCheckpointStore

        dsn = postgres_dsn()
        schema = f"t_{uuid.uuid4().hex[:16]}"

        def open_pg() -> CheckpointStore:
            opened.append(PostgresCheckpointStore(dsn, schema=schema))
            return opened[-1]

        yield open_pg
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    for store in opened:
        store.close()


@pytest.fixture
def store(opener: Opener) -> CheckpointStore:
    return opener()


def msg(text: str, role: str = "user", **extra: Any) -> dict[str, Any]:
    return {"role": role, "content": text, **extra}


def test_store_satisfies_the_protocol(store: CheckpointStore) -> None:
    assert isinstance(store, CheckpointStore)


def test_create_and_get_run(store: CheckpointStore) -> None:
    spec = {"agents": ["a", "b"], "max_turns": 3, "nested": {"x": [1, 2.5, None, True]}}
    store.create_run("r1", "two_agent", spec)
    run = store.get_run("r1")
    assert run is not None
    assert (run.run_id, run.kind, run.spec, run.status, run.state) == (
        "r1",
        "two_agent",
        spec,
        "running",
        {},
    )
    assert run.created_at > 0 and run.updated_at == run.created_at
    assert store.get_run("nope") is None


def test_creating_an_existing_run_is_a_conflict(store: CheckpointStore) -> None:
    store.create_run("r1", "k", {})
    with pytest.raises(CheckpointConflictError, match="r1"):
        store.create_run("r1", "other", {"a": 1})
    run = store.get_run("r1")
    assert run is not None and run.kind == "k"


def test_list_runs_in_creation_order_and_by_status(store: CheckpointStore) -> None:
    for name in ("c", "a", "b"):
        store.create_run(name, "k", {})
    store.save_state("a", {"done": True}, "finished")
    assert [r.run_id for r in store.list_runs()] == ["c", "a", "b"]
    assert [r.run_id for r in store.list_runs("finished")] == ["a"]
    assert [r.run_id for r in store.list_runs(status="running")] == ["c", "b"]
    assert store.list_runs("paused") == []
    with pytest.raises(ConfigError, match="status"):
        store.list_runs("done")


def test_messages_are_ordered_by_seq_and_appends_are_idempotent(store: CheckpointStore) -> None:
    store.create_run("r", "k", {})
    store.append_message("r", 1, msg("second"))
    store.append_message("r", 0, msg("first"))
    store.append_message("r", 1, msg("second"))  # a retried write is harmless
    store.append_message("r", 0, {"content": "first", "role": "user"})  # key order is no change
    assert store.messages("r") == [msg("first"), msg("second")]


def test_a_different_message_at_an_existing_seq_is_a_conflict(store: CheckpointStore) -> None:
    store.create_run("r", "k", {})
    store.append_message("r", 0, msg("hello"))
    with pytest.raises(CheckpointConflictError, match="seq=0"):
        store.append_message("r", 0, msg("HELLO"))
    assert store.messages("r") == [msg("hello")]


def test_writes_to_unknown_runs_fail(store: CheckpointStore) -> None:
    with pytest.raises(RunNotFoundError, match="ghost"):
        store.append_message("ghost", 0, msg("x"))
    with pytest.raises(RunNotFoundError):
        store.save_state("ghost", {}, "running")
    assert store.messages("ghost") == []


def test_save_state_replaces_state_and_status(store: CheckpointStore) -> None:
    store.create_run("r", "k", {})
    before = store.get_run("r")
    store.save_state("r", {"turn": 1}, "paused")
    store.save_state("r", {"turn": 2, "who": "b"}, "running")
    run = store.get_run("r")
    assert run is not None and before is not None
    assert run.state == {"turn": 2, "who": "b"} and run.status == "running"
    assert run.updated_at >= before.updated_at and run.created_at == before.created_at
    with pytest.raises(ConfigError, match="status"):
        store.save_state("r", {}, "done")


def test_commit_writes_messages_and_state_together(store: CheckpointStore) -> None:
    store.create_run("r", "k", {})
    store.commit("r", [(0, msg("a")), (1, msg("b", "assistant"))], {"next": 2}, "running")
    store.commit("r", [(1, msg("b", "assistant")), (2, msg("c"))], {"next": 3}, "finished")
    run = store.get_run("r")
    assert run is not None and run.state == {"next": 3} and run.status == "finished"
    assert [m["content"] for m in store.messages("r")] == ["a", "b", "c"]


def test_a_failed_commit_writes_nothing(store: CheckpointStore) -> None:
    store.create_run("r", "k", {})
    store.commit("r", [(0, msg("a"))], {"next": 1}, "running")
    with pytest.raises(CheckpointConflictError):
        # seq 1 is new but seq 0 conflicts: neither the new message nor the state may land.
        store.commit("r", [(1, msg("b")), (0, msg("changed"))], {"next": 2}, "finished")
    run = store.get_run("r")
    assert run is not None and run.state == {"next": 1} and run.status == "running"
    assert store.messages("r") == [msg("a")]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.create_run("x", "k", {"f": {1, 2}}), "spec"),
        (lambda s: s.create_run("", "k", {}), "run_id"),
        (lambda s: s.create_run("x", "", {}), "kind"),
        (lambda s: s.append_message("r", 0, {"content": math.nan}), "messages"),
        (lambda s: s.append_message("r", -1, msg("x")), "seq"),
        (lambda s: s.append_message("r", True, msg("x")), "seq"),
        (lambda s: s.append_message("r", 0, ["not", "a", "dict"]), "message"),
        (lambda s: s.save_state("r", {"obj": object()}, "running"), "state"),
        (lambda s: s.commit("r", [(0, msg("a"), 1)], {}, "running"), "messages"),
    ],
)
def test_only_json_values_are_stored(
    store: CheckpointStore, call: Callable[[Any], None], field: str
) -> None:
    store.create_run("r", "k", {})
    with pytest.raises(ConfigError) as info:
        call(store)
    assert info.value.field.startswith(field)
    run = store.get_run("r")
    assert run is not None and run.state == {} and store.messages("r") == []
    assert store.get_run("x") is None


def test_unicode_and_large_values_round_trip(store: CheckpointStore) -> None:
    text = "héllo ✓ 你好 " + "x" * 200_000
    store.create_run("r", "k", {"title": "ünïcode"})
    store.commit("r", [(0, msg(text))], {"big": [text]}, "running")
    assert store.messages("r")[0]["content"] == text
    run = store.get_run("r")
    assert run is not None and run.state["big"] == [text] and run.spec["title"] == "ünïcode"


def test_committed_data_is_seen_by_a_new_connection(opener: Opener) -> None:
    first = opener()
    first.create_run("r", "k", {"v": 1})
    first.commit("r", [(0, msg("a"))], {"n": 1}, "paused")
    first.close()
    second = opener()
    run = second.get_run("r")
    assert run is not None and run.status == "paused" and run.state == {"n": 1}
    assert second.messages("r") == [msg("a")]


def test_a_closed_store_refuses_work(store: CheckpointStore) -> None:
    store.close()
    store.close()  # closing twice is fine
    with pytest.raises(CheckpointError, match="closed"):
        store.get_run("r")


def test_two_connections_and_threads_write_concurrently(opener: Opener) -> None:
    stores = [opener(), opener()]
    stores[0].create_run("a", "k", {})
    stores[0].create_run("b", "k", {})
    errors: list[BaseException] = []

    def writer(store: CheckpointStore, run_id: str) -> None:
        try:
            for n in range(25):
                store.commit(run_id, [(n, msg(f"{run_id}{n}"))], {"n": n}, "running")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    pairs = zip(stores, "ab", strict=True)
    threads = [threading.Thread(target=writer, args=pair) for pair in pairs]
    threads += [threading.Thread(target=writer, args=(stores[0], "a"))]  # same run, same seqs
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for run_id in "ab":
        assert [m["content"] for m in stores[1].messages(run_id)] == [
            f"{run_id}{n}" for n in range(25)
        ]
        run = stores[1].get_run(run_id)
        assert run is not None and run.state == {"n": 24}


def test_open_store_understands_urls_and_paths(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    for url, expected in [
        ("sqlite:///rel.db", tmp_path / "rel.db"),
        (f"sqlite:///{tmp_path}/abs.db", tmp_path / "abs.db"),
        (str(tmp_path / "plain.db"), tmp_path / "plain.db"),
        (tmp_path / "pathlike.db", tmp_path / "pathlike.db"),
    ]:
        store = open_store(url)
        store.create_run("r", "k", {})
        store.close()
        assert expected.exists(), url
    memory = open_store("sqlite://")
    memory.create_run("r", "k", {})
    assert memory.get_run("r") is not None
    memory.close()
    for bad in ("mysql://x/y", "", "sqlite:///"):
        with pytest.raises(ConfigError, match="url"):
            open_store(bad)
    with pytest.raises(ConfigError, match="path"):
        open_store(str(tmp_path / "missing-dir" / "x.db"))


def test_open_store_postgres_url() -> None:
    dsn = postgres_dsn()
    store = open_store(dsn)
    try:
        assert type(store).__name__ == "PostgresCheckpointStore"
        password = dsn.split("@")[0].rsplit(":", 1)[-1]
        assert f":{password}@" not in repr(store) and REDACTED in repr(store)
    finally:
        store.close()


def test_unreachable_postgres_is_a_config_error_without_the_password() -> None:
    pytest.importorskip("psycopg")
    from convogen.state.store.postgres import PostgresCheckpointStore

    with pytest.raises(ConfigError, match="dsn") as info:
        PostgresCheckpointStore("postgresql://u:s3cret@127.0.0.1:1/db", connect_timeout_s=2)
    assert "s3cret" not in str(info.value)


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://bob:pg-secret-24680@127.0.0.1:1/db",
        "host=127.0.0.1 port=1 user=bob password=pg-secret-24680 dbname=db",
    ],
)
def test_failed_postgres_connection_error_hides_the_password(dsn: str) -> None:
    from convogen.state.store.postgres import PostgresCheckpointStore

    with pytest.raises(ConfigError, match="cannot connect") as info:
        PostgresCheckpointStore(dsn, connect_timeout_s=1)
    assert "pg-secret-24680" not in str(info.value)
