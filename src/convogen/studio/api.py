"""The studio's REST API for runs: start, watch, answer, continue, delete, files, replays."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from convogen.errors import ConfigError
from convogen.studio.files import produced_file_response
from convogen.studio.runs import RunManager
from convogen.studio.secrets import public_view
from convogen.studio.transcript import FORMATS, transcript_json, transcript_markdown


class RunRequest(BaseModel):
    """Start ``team`` on ``task`` (default: the team's own task)."""

    model_config = ConfigDict(extra="forbid")

    team: str = Field(min_length=1)
    task: str | None = None


class ContinueRequest(BaseModel):
    """The next message of a finished conversation."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1)


class AnswerRequest(BaseModel):
    """A person's answer to the prompt a paused run waits on ('' skips, 'exit' ends)."""

    model_config = ConfigDict(extra="forbid")

    answer: str


def _runs(request: Request) -> RunManager:
    runs: RunManager = request.app.state.runs
    return runs


def build_router() -> APIRouter:
    """All ``/api`` routes (authentication is added by the app)."""
    router = APIRouter(prefix="/api")

    @router.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # -------------------------------------------------------------------- runs
    @router.post("/runs", status_code=status.HTTP_202_ACCEPTED)
    async def start_run(request: Request, body: RunRequest) -> dict[str, Any]:
        run_id = _runs(request).start(body.team, body.task)
        return {"run_id": run_id, "status": "running", "stream": f"/api/runs/{run_id}/stream"}

    @router.get("/runs")
    def list_runs(request: Request) -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = public_view(_runs(request).list_runs())
        return runs

    @router.get("/runs/{run_id}")
    def get_run(request: Request, run_id: str) -> dict[str, Any]:
        detail: dict[str, Any] = public_view(_runs(request).detail(run_id))
        return detail

    @router.post("/runs/{run_id}/answer", status_code=status.HTTP_202_ACCEPTED)
    async def answer(request: Request, run_id: str, body: AnswerRequest) -> dict[str, Any]:
        _runs(request).answer(run_id, body.answer)
        return {"run_id": run_id, "status": "running"}

    @router.post("/runs/{run_id}/resume", status_code=status.HTTP_202_ACCEPTED)
    async def resume(request: Request, run_id: str) -> dict[str, Any]:
        _runs(request).resume(run_id)
        return {"run_id": run_id, "status": "running"}

    @router.delete("/runs/{run_id}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_run(request: Request, run_id: str) -> None:
        _runs(request).delete(run_id)

    @router.post("/runs/{run_id}/continue", status_code=status.HTTP_202_ACCEPTED)
    async def continue_run(request: Request, run_id: str, body: ContinueRequest) -> dict[str, Any]:
        new_id = _runs(request).continue_run(run_id, body.message)
        return {"run_id": new_id, "status": "running", "stream": f"/api/runs/{new_id}/stream"}

    @router.get("/runs/{run_id}/transcript")
    def transcript(request: Request, run_id: str, format: str = "json") -> Response:
        if format not in FORMATS:
            raise ConfigError("format", format, f"must be one of {', '.join(FORMATS)}")
        detail = public_view(_runs(request).detail(run_id))
        name = run_id.replace(":", "-")
        if format == "md":
            disposition = {"Content-Disposition": f'attachment; filename="{name}.md"'}
            return PlainTextResponse(
                transcript_markdown(detail), media_type="text/markdown", headers=disposition
            )
        disposition = {"Content-Disposition": f'attachment; filename="{name}.json"'}
        return JSONResponse(transcript_json(detail), headers=disposition)

    @router.get("/runs/{run_id}/files")
    def list_files(request: Request, run_id: str) -> list[dict[str, Any]]:
        _runs(request).record(run_id)
        return _runs(request).list_files(run_id)

    @router.get("/runs/{run_id}/files/{path:path}")
    def get_file(request: Request, run_id: str, path: str) -> FileResponse:
        return produced_file_response(_runs(request).file_path(run_id, path))

    @router.get("/runs/{run_id}/replay")
    def replay(request: Request, run_id: str) -> dict[str, Any]:
        return {"run_id": run_id, "events": public_view(_runs(request).replay(run_id))}

    # --------------------------------------------------------------- cassettes
    @router.get("/cassettes")
    def list_cassettes(request: Request) -> list[str]:
        return _runs(request).list_cassettes()

    @router.get("/cassettes/{name}/replay")
    def replay_cassette(request: Request, name: str) -> dict[str, Any]:
        return {"cassette": name, "events": public_view(_runs(request).replay_cassette(name))}

    return router
