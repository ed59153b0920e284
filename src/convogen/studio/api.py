"""The studio's REST API: agents, teams, runs, human input, files and replays."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from convogen.specs import AgentSpec, TeamSpec
from convogen.studio.files import produced_file_response
from convogen.studio.library import ConflictError, SpecLibrary
from convogen.studio.runs import RunManager
from convogen.studio.secrets import public_view


class RunRequest(BaseModel):
    """Start ``team`` on ``task`` (default: the team's own task)."""

    model_config = ConfigDict(extra="forbid")

    team: str = Field(min_length=1)
    task: str | None = None


class AnswerRequest(BaseModel):
    """A person's answer to the prompt a paused run waits on ('' skips, 'exit' ends)."""

    model_config = ConfigDict(extra="forbid")

    answer: str


def _library(request: Request) -> SpecLibrary:
    library: SpecLibrary = request.app.state.library
    return library


def _runs(request: Request) -> RunManager:
    runs: RunManager = request.app.state.runs
    return runs


def _shown(spec: AgentSpec | TeamSpec) -> dict[str, Any]:
    """What the API shows of a spec: never a secret (second line of defence)."""
    shown: dict[str, Any] = public_view(spec.model_dump(mode="json"))
    return shown


def _same_name(kind: str, path_name: str, body_name: str) -> None:
    if path_name != body_name:
        raise ConflictError(
            f"{kind} name in the URL ({path_name!r}) differs from field 'name' ({body_name!r})"
        )


def build_router() -> APIRouter:
    """All ``/api`` routes (authentication is added by the app)."""
    router = APIRouter(prefix="/api")

    @router.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # ------------------------------------------------------------------ agents
    @router.get("/agents")
    def list_agents(request: Request) -> list[dict[str, Any]]:
        return [_shown(a) for a in _library(request).list_agents()]

    @router.post("/agents", status_code=status.HTTP_201_CREATED)
    def create_agent(request: Request, agent: AgentSpec) -> dict[str, Any]:
        return _shown(_library(request).save_agent(agent, create=True))

    @router.get("/agents/{name}")
    def get_agent(request: Request, name: str) -> dict[str, Any]:
        return _shown(_library(request).get_agent(name))

    @router.put("/agents/{name}")
    def update_agent(request: Request, name: str, agent: AgentSpec) -> dict[str, Any]:
        _same_name("agent", name, agent.name)
        return _shown(_library(request).save_agent(agent, create=False))

    @router.delete("/agents/{name}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_agent(request: Request, name: str) -> None:
        _library(request).delete_agent(name)

    # ------------------------------------------------------------------- teams
    @router.get("/teams")
    def list_teams(request: Request) -> list[dict[str, Any]]:
        return [_shown(t) for t in _library(request).list_teams()]

    @router.post("/teams", status_code=status.HTTP_201_CREATED)
    def create_team(request: Request, team: TeamSpec) -> dict[str, Any]:
        return _shown(_library(request).save_team(team, create=True))

    @router.get("/teams/{name}")
    def get_team(request: Request, name: str) -> dict[str, Any]:
        return _shown(_library(request).get_team(name))

    @router.put("/teams/{name}")
    def update_team(request: Request, name: str, team: TeamSpec) -> dict[str, Any]:
        _same_name("team", name, team.name)
        return _shown(_library(request).save_team(team, create=False))

    @router.delete("/teams/{name}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_team(request: Request, name: str) -> None:
        _library(request).delete_team(name)

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
