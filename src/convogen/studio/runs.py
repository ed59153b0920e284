"""Studio runs: durable team runs in the server's event loop, their state, files and replays."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

from convogen.agents.chat_entry import with_carryover
from convogen.agents.io import context_io
from convogen.errors import ConfigError
from convogen.interception import intercepting, sinking
from convogen.redaction import redact_text
from convogen.results import StopReason
from convogen.specs import TeamSpec, build_team
from convogen.specs.models import parse_spec
from convogen.state.durable import a_run_durable
from convogen.state.logging import active_logger, chat_messages, chat_summary, list_chats
from convogen.state.logging.queries import chat_ref
from convogen.state.recording import transcript_from_cassette
from convogen.state.store import RunRecord, SQLiteCheckpointStore
from convogen.studio.console import RunConsole, retry_helps
from convogen.studio.events import (
    EventHub,
    RunContext,
    add_usage,
    message_event,
    usage_event,
    visible_file,
)
from convogen.studio.files import raster_type
from convogen.studio.library import ConflictError, NotFoundError, SpecLibrary, check_name
from convogen.studio.transcript import transcript_markdown

_log = logging.getLogger("convogen.studio")
RUN_KIND = "studio"
# What History shows as the stop reason of a run that has no result (yet).
_STOP_BY_STATUS = {"failed": "error", "paused": "paused", "interrupted": "interrupted"}
LOG_PREFIX = "log:"


class RunManager:
    """Starts, resumes and describes the runs kept in the studio's data directory."""

    def __init__(self, data_dir: Path, library: SpecLibrary, hub: EventHub) -> None:
        self.data_dir = data_dir
        self.library = library
        self.hub = hub
        self.store = SQLiteCheckpointStore(data_dir / "checkpoints.db")
        self.log_db = data_dir / "logs.db"
        self.cassettes_dir = data_dir / "cassettes"
        self.tasks: dict[str, asyncio.Task[None]] = {}

    # ------------------------------------------------------------------ paths
    def run_dir(self, run_id: str) -> Path:
        """The run's own directory (events, produced files)."""
        return self.data_dir / "runs" / check_name("run_id", run_id)

    def files_dir(self, run_id: str) -> Path:
        """The run's code work dir: what sandboxed code writes lands here."""
        return self.run_dir(run_id) / "files"

    def file_url(self, run_id: str, path: Path) -> str:
        """The URL that serves a produced file."""
        relative = path.resolve().relative_to(self.files_dir(run_id).resolve())
        return f"/api/runs/{run_id}/files/{relative.as_posix()}"

    # -------------------------------------------------------------- lifecycle
    def start(
        self,
        team_name: str,
        task: str | None,
        continues: str | None = None,
        message: str | None = None,
    ) -> str:
        """Start team ``team_name`` on ``task`` as a durable run; returns the run id.

        A run that ``continues`` another has that run's conversation in its task, after the
        person's ``message`` (what History shows).
        """
        spec = self.library.get_team(team_name)
        task = task or spec.task
        if not task or not task.strip():
            raise ConfigError("task", task, f"give a task (team {spec.name!r} has no default)")
        run_id = uuid.uuid4().hex[:12]
        files_dir = self.files_dir(run_id)
        files_dir.mkdir(parents=True)
        team = _with_work_dir(spec, files_dir)
        stored: dict[str, Any] = {"team": team.model_dump(mode="json"), "task": task}
        if continues is not None:
            stored.update(continues=continues, message=message)
        self.store.create_run(run_id, RUN_KIND, stored)
        self._launch(run_id, None)
        return run_id

    def continue_run(self, run_id: str, message: str) -> str:
        """A new run of the same team that goes on from a finished run's conversation."""
        record = self.record(run_id)
        if record.status != "finished":
            raise ConflictError(
                f"run {run_id!r} has not finished (status={self.status_of(record)!r}); "
                "only a finished conversation can be continued"
            )
        if not message.strip():
            raise ConfigError("message", message, "must not be empty")
        team = str((record.spec.get("team") or {}).get("name"))
        earlier = transcript_markdown(self.detail(run_id))
        return self.start(
            team, str(with_carryover(message, earlier)), continues=run_id, message=message
        )

    def delete(self, run_id: str) -> None:
        """Forget a run: its checkpoints, events and files."""
        self.record(run_id)
        if self.is_active(run_id):
            raise ConflictError(f"run {run_id!r} is running; wait until it stops to delete it")
        self.store.delete_run(run_id)
        self.hub.forget(run_id)
        shutil.rmtree(self.run_dir(run_id), ignore_errors=True)

    def answer(self, run_id: str, answer: str) -> None:
        """Resume a paused run with a person's answer (works after a server restart)."""
        record = self.record(run_id)
        if record.status != "paused" or self.is_active(run_id):
            raise ConflictError(
                f"run {run_id!r} is not waiting for human input (status={record.status!r})"
            )
        self.hub.publish(run_id, {"type": "human_input_answer", "answer": answer})
        self._launch(run_id, answer)

    def resume(self, run_id: str) -> None:
        """Continue a run that a server stop interrupted (status running or failed)."""
        record = self.record(run_id)
        if not self.retryable(record):
            reason = (
                "its error would happen again"
                if record.status == "failed"
                else "a paused run needs an answer"
            )
            raise ConflictError(
                f"run {run_id!r} cannot be resumed (status={self.status_of(record)!r}): {reason}"
            )
        self._launch(run_id, None)

    def retryable(self, record: RunRecord) -> bool:
        """Whether resuming can help: the server stopped it, or it failed on the network."""
        if self.is_active(record.run_id):
            return False
        return record.status == "running" or (
            record.status == "failed" and bool(record.state.get("retryable"))
        )

    def is_active(self, run_id: str) -> bool:
        """Whether the run executes in this process right now."""
        task = self.tasks.get(run_id)
        return task is not None and not task.done()

    def _launch(self, run_id: str, answer: str | None) -> None:
        self.tasks[run_id] = asyncio.get_running_loop().create_task(self._execute(run_id, answer))

    async def _execute(self, run_id: str, answer: str | None) -> None:
        record = self.record(run_id)
        context = RunContext(
            self.hub, run_id, self.files_dir(run_id), lambda p: self.file_url(run_id, p)
        )
        context.skip_messages = sum(
            1 for e in self.store.messages(run_id) if e.get("type") == "message"
        )
        task = str(record.spec.get("task", ""))
        context.publish({"type": "status", "status": "running"})
        try:
            # Fresh agents each time: a durable chat re-executes from the start.
            console = RunConsole(context)
            team = build_team(parse_spec(record.spec.get("team"), source="run spec"), console)
            with intercepting(context), sinking(context), context_io(console):
                result = await a_run_durable(
                    self.store,
                    run_id,
                    lambda: team.a_run(task, silent=True),
                    answer=answer,
                    pause_for_human_input=True,
                    kind=RUN_KIND,
                )
        except Exception as exc:
            _log.exception("studio run %s failed", run_id)
            with contextlib.suppress(Exception):
                state = {"error": redact_text(repr(exc)), "retryable": retry_helps(exc)}
                self.store.save_state(run_id, state, "failed")
            context.publish({"type": "error", "error": redact_text(f"{type(exc).__name__}: {exc}")})
            context.publish({"type": "status", "status": "failed"})
            return
        finally:
            self._remember_log_chats(run_id, context.chat_ids)
        if result.stop_reason is StopReason.PAUSED:
            context.publish(
                {
                    "type": "human_input_request",
                    "agent": result.stopped_by,
                    "prompt": result.stop_detail,
                }
            )
            context.publish({"type": "status", "status": "paused"})
            return
        context.publish({"type": "result", **self._result(run_id)})
        context.publish({"type": "status", "status": "finished"})

    async def shutdown(self) -> None:
        """Stop the runs of this process (they resume later) and close the store."""
        for task in self.tasks.values():
            task.cancel()
        for task in self.tasks.values():
            with contextlib.suppress(BaseException):
                await task
        self.store.close()

    # ---------------------------------------------------------------- queries
    def record(self, run_id: str) -> RunRecord:
        """The stored run; NotFoundError names the id."""
        record = self.store.get_run(check_name("run_id", run_id))
        if record is None:
            raise NotFoundError(f"no run with run_id={run_id!r}")
        return record

    def status_of(self, record: RunRecord) -> str:
        """The stored status, or 'interrupted' for a run no task of this process executes."""
        if record.status == "running" and not self.is_active(record.run_id):
            return "interrupted"
        return record.status

    def list_runs(self) -> list[dict[str, Any]]:
        """Runs of the checkpoint store and chats of the runtime log, newest first."""
        runs: list[dict[str, Any]] = []
        linked: set[str] = set()
        for record in self.store.list_runs():
            runs.append(self._summary(record))
            linked.update(self._log_chats(record.run_id))
        if self.log_db.is_file():
            for chat in list_chats(self.log_db):
                if chat["ref"] in linked or chat["parent_chat_id"] is not None:
                    continue  # a studio run's own chat, or a nested chat of a listed one
                runs.append(
                    {
                        "run_id": LOG_PREFIX + chat["ref"],
                        "source": "log",
                        "kind": "chat",
                        "team": f"{chat['sender']} → {chat['recipient']}",
                        "task": None,
                        "status": "finished" if chat["finished_at"] else "unfinished",
                        "stop_reason": chat["stop_reason"],
                        "created_at": chat["started_at"],
                        "updated_at": chat["finished_at"] or chat["started_at"],
                    }
                )
        return sorted(runs, key=lambda r: r["created_at"] or 0.0, reverse=True)

    def _summary(self, record: RunRecord) -> dict[str, Any]:
        """A History row: status, stop reason, cost, duration, and whether Retry can help."""
        result = record.state.get("result") or {}
        status = self.status_of(record)
        usage = self._usage(record.run_id)
        return {
            "run_id": record.run_id,
            "source": "store",
            "kind": record.kind,
            "team": (record.spec.get("team") or {}).get("name"),
            "task": record.spec.get("message") or record.spec.get("task"),
            "status": status,
            "stop_reason": _STOP_BY_STATUS.get(status, result.get("stop_reason")),
            "error": record.state.get("error") if status == "failed" else None,
            "retryable": self.retryable(record),
            "total_cost": usage["total_cost"],
            "total_tokens": usage["total_tokens"],
            "duration_s": round(record.updated_at - record.created_at, 3),
            "continues": record.spec.get("continues"),
            "created_at": record.created_at,
            "updated_at": record.updated_at,
        }

    def _usage(self, run_id: str) -> dict[str, Any]:
        totals: dict[str, dict[str, Any]] = {}
        for entry in self.store.messages(run_id):
            if entry.get("type") == "effect" and entry.get("kind") == "llm":
                add_usage(totals, entry.get("result"))
        return usage_event(totals)

    def detail(self, run_id: str) -> dict[str, Any]:
        """Everything about a run: messages, speaker reasons, usage, stop reason, files."""
        if run_id.startswith(LOG_PREFIX):
            return self._log_detail(run_id)
        record = self.record(run_id)
        entries = self.store.messages(run_id)
        state = record.state
        return {
            "run_id": run_id,
            "source": "store",
            "team": (record.spec.get("team") or {}).get("name"),
            "task": record.spec.get("task"),
            "status": self.status_of(record),
            "messages": self._messages(entries),
            "speaker_selections": [
                e for e in self.hub.history(run_id) if e.get("type") == "speaker"
            ],
            "usage": self._usage(run_id),
            "pending_human_input": state.get("pending_human_input")
            if record.status == "paused"
            else None,
            "result": self._result(run_id) if record.status == "finished" else None,
            "error": state.get("error"),
            "stop_reason": "error" if record.status == "failed" else None,
            "retryable": self.retryable(record),
            "continues": record.spec.get("continues"),
            "files": self.list_files(run_id),
            "created_at": record.created_at,
            "updated_at": record.updated_at,
        }

    def _result(self, run_id: str) -> dict[str, Any]:
        result = dict(self.record(run_id).state.get("result") or {})
        result.pop("chat_history", None)  # the messages are sent on their own
        return {**result, "files": self.list_files(run_id)}

    @staticmethod
    def _messages(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        shown = []
        for entry in entries:
            if entry.get("type") == "message" and isinstance(entry.get("message"), dict):
                event = message_event(
                    str(entry.get("sender")), str(entry.get("recipient")), entry["message"]
                )
                if event is not None:
                    shown.append(event)
        return shown

    def _log_detail(self, run_id: str) -> dict[str, Any]:
        ref = run_id[len(LOG_PREFIX) :]
        if not self.log_db.is_file():
            raise NotFoundError(f"no runtime log, so no run with run_id={run_id!r}")
        try:
            summary = chat_summary(self.log_db, ref)
            logged = chat_messages(self.log_db, ref)
        except ConfigError as exc:
            raise NotFoundError(f"no run with run_id={run_id!r} ({exc})") from exc
        messages = [
            message_event(str(m["sender"]), str(m["recipient"]), m["message"])
            for m in logged
            if isinstance(m["message"], dict)
        ]
        return {
            "run_id": run_id,
            "source": "log",
            "status": "finished" if summary["finished"] else "unfinished",
            "messages": [m for m in messages if m is not None],
            "speaker_selections": [],
            "usage": {"type": "usage", "models": summary["tokens"] or {}},
            "result": {
                "stop_reason": summary["stop_reason"],
                "stopped_by": summary["stopped_by"],
                "stop_detail": summary["stop_detail"],
                "summary": summary["summary"],
                "total_cost": summary["total_cost"],
                "files": [],
            },
            "files": [],
        }

    # ------------------------------------------------------------------ files
    def list_files(self, run_id: str) -> list[dict[str, Any]]:
        """Files the run's code produced, as its journaled code results name them.

        The code files the executor wrote and cache files under dot directories (the sandbox's
        home is the work dir) are left out.
        """
        root = self.files_dir(run_id)
        produced: dict[Path, None] = {}
        for entry in self.store.messages(run_id):
            result = entry.get("result") if entry.get("kind") == "code" else None
            for name in (result or {}).get("files") or []:
                path = Path(str(name))
                if path.is_file() and visible_file(path, root):
                    produced[path.resolve()] = None
        return [
            {
                "name": path.relative_to(root.resolve()).as_posix(),
                "url": self.file_url(run_id, path),
                "image": raster_type(path) is not None,
                "size": path.stat().st_size,
            }
            for path in produced
        ]

    def file_path(self, run_id: str, name: str) -> Path:
        """A produced file of the run; never a path outside its work dir."""
        self.record(run_id)
        root = self.files_dir(run_id).resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file() or not visible_file(path, root):
            raise NotFoundError(f"run {run_id!r} has no file {name!r} (field 'path')")
        return path

    # ---------------------------------------------------------------- replays
    def replay(self, run_id: str) -> list[dict[str, Any]]:
        """The run's events in order, for the page to play back."""
        if not run_id.startswith(LOG_PREFIX):
            self.record(run_id)
            events = [e for e in self.hub.history(run_id) if e.get("type") != "status"]
            if events:
                return events
        detail = self.detail(run_id)
        result = detail.get("result")
        tail = [{"type": "result", **result}] if result else []
        return [*detail["messages"], *tail]

    def list_cassettes(self) -> list[str]:
        """Cassette files in the data directory's ``cassettes/`` folder."""
        if not self.cassettes_dir.is_dir():
            return []
        return sorted(p.name for p in self.cassettes_dir.iterdir() if p.is_file())

    def replay_cassette(self, name: str) -> list[dict[str, Any]]:
        """The messages of a recorded cassette as replay events."""
        if name not in self.list_cassettes():
            raise NotFoundError(f"no cassette named {name!r} (field 'name')")
        events = []
        for message in transcript_from_cassette(self.cassettes_dir / name):
            speaker = str(message.get("name", "?"))
            event = message_event(speaker, "", message)
            if event is not None:
                events.append(event)
        return events

    # ------------------------------------------------------------ log links
    def _remember_log_chats(self, run_id: str, chat_ids: list[int]) -> None:
        logger = active_logger()
        if logger is None or not chat_ids:
            return
        with (self.run_dir(run_id) / "log_chats.txt").open("a", encoding="utf-8") as handle:
            for chat_id in chat_ids:
                handle.write(chat_ref(logger.session_id, chat_id) + "\n")

    def _log_chats(self, run_id: str) -> list[str]:
        path = self.run_dir(run_id) / "log_chats.txt"
        return path.read_text(encoding="utf-8").split() if path.is_file() else []


def _with_work_dir(spec: TeamSpec, files_dir: Path) -> TeamSpec:
    """A copy of ``spec`` whose code-executing agents work in the run's own directory."""
    agents = []
    for agent in spec.agents:
        if isinstance(agent.code_execution, dict):
            code = {**agent.code_execution, "work_dir": str(files_dir)}
            agent = agent.model_copy(update={"code_execution": code})
        agents.append(agent)
    return spec.model_copy(update={"agents": agents})
