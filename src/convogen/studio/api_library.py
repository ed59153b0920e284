"""The studio's REST API for its library: models, tools, agents and teams (with export/import)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from convogen.specs import TeamSpec
from convogen.studio.connection import check_model
from convogen.studio.definitions import ModelDef, StudioAgent, TeamDraft, ToolDef
from convogen.studio.library import ConflictError, SpecLibrary
from convogen.studio.secrets import public_view

T = TypeVar("T")


def library_of(request: Request) -> SpecLibrary:
    """The app's library."""
    library: SpecLibrary = request.app.state.library
    return library


def shown(item: BaseModel) -> dict[str, Any]:
    """What the API shows of a definition: never a secret (second line of defence)."""
    view: dict[str, Any] = public_view(item.model_dump(mode="json"))
    return view


def validated(call: Callable[[], T]) -> T:
    """``call()``, its pydantic errors answered like request errors (422 naming the field)."""
    try:
        return call()
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


def same_name(kind: str, path_name: str, body_name: str) -> None:
    """Refuse a body whose name differs from the URL's."""
    if path_name != body_name:
        raise ConflictError(
            f"{kind} name in the URL ({path_name!r}) differs from field 'name' ({body_name!r})"
        )


def team_view(library: SpecLibrary, spec: TeamSpec) -> dict[str, Any]:
    """A team spec plus the library references it was saved with."""
    draft = library.get_draft(spec.name)
    return {
        **shown(spec),
        "agent_refs": draft.agent_refs() if draft else [],
        "manager_model": draft.manager_model if draft else None,
    }


class _Kind:
    """How the routes of one kind of definition reach the library."""

    def __init__(
        self,
        name: str,
        model: type[BaseModel],
        listing: Callable[[SpecLibrary], Callable[[], list[Any]]],
        saving: Callable[[SpecLibrary], Callable[..., Any]],
        deleting: Callable[[SpecLibrary], Callable[[str], None]],
    ) -> None:
        self.name, self.model = name, model
        self.listing, self.saving, self.deleting = listing, saving, deleting


def _crud(router: APIRouter, kind: _Kind) -> None:
    """List, create, update and delete routes for one kind of definition."""
    plural = f"/{kind.name}s"

    @router.get(plural, name=f"list_{kind.name}s")
    def list_all(request: Request) -> list[dict[str, Any]]:
        return [shown(i) for i in kind.listing(library_of(request))()]

    @router.post(plural, status_code=status.HTTP_201_CREATED, name=f"create_{kind.name}")
    def create(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        item = validated(lambda: kind.model.model_validate(body))
        return shown(kind.saving(library_of(request))(item, create=True))

    @router.put(plural + "/{name}", name=f"update_{kind.name}")
    def update(request: Request, name: str, body: dict[str, Any]) -> dict[str, Any]:
        item = validated(lambda: kind.model.model_validate(body))
        same_name(kind.name, name, str(body.get("name")))
        return shown(kind.saving(library_of(request))(item, create=False))

    @router.delete(
        plural + "/{name}", status_code=status.HTTP_204_NO_CONTENT, name=f"delete_{kind.name}"
    )
    def delete(request: Request, name: str) -> None:
        kind.deleting(library_of(request))(name)


KINDS = (
    _Kind(
        "model",
        ModelDef,
        lambda lib: lib.list_models,
        lambda lib: lib.save_model,
        lambda lib: lib.delete_model,
    ),
    _Kind(
        "tool",
        ToolDef,
        lambda lib: lib.list_tools,
        lambda lib: lib.save_tool,
        lambda lib: lib.delete_tool,
    ),
    _Kind(
        "agent",
        StudioAgent,
        lambda lib: lib.list_agents,
        lambda lib: lib.save_agent,
        lambda lib: lib.delete_agent,
    ),
)


def build_library_router() -> APIRouter:
    """The ``/api`` routes of models, tools, agents and teams."""
    router = APIRouter(prefix="/api")
    for kind in KINDS:
        _crud(router, kind)

    @router.post("/models/{name}/test")
    async def test_model(request: Request, name: str) -> dict[str, Any]:
        return await check_model(library_of(request).get_model(name))

    @router.get("/agents/{name}")
    def get_agent(request: Request, name: str) -> dict[str, Any]:
        return shown(library_of(request).get_agent(name))

    @router.get("/teams")
    def list_teams(request: Request) -> list[dict[str, Any]]:
        library = library_of(request)
        return [team_view(library, t) for t in library.list_teams()]

    @router.post("/teams", status_code=status.HTTP_201_CREATED)
    def create_team(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        library = library_of(request)
        draft = validated(lambda: TeamDraft.model_validate(body))
        return team_view(library, validated(lambda: library.save_team(draft, create=True)))

    @router.post("/teams/import", status_code=status.HTTP_201_CREATED)
    def import_team(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        library = library_of(request)
        spec = validated(lambda: TeamSpec.model_validate(body))
        return team_view(library, library.import_team(spec))

    @router.get("/teams/{name}")
    def get_team(request: Request, name: str) -> dict[str, Any]:
        library = library_of(request)
        return team_view(library, library.get_team(name))

    @router.get("/teams/{name}/export")
    def export_team(request: Request, name: str) -> JSONResponse:
        spec = library_of(request).get_team(name)
        disposition = f'attachment; filename="{spec.name}.json"'
        return JSONResponse(shown(spec), headers={"Content-Disposition": disposition})

    @router.put("/teams/{name}")
    def update_team(request: Request, name: str, body: dict[str, Any]) -> dict[str, Any]:
        library = library_of(request)
        draft = validated(lambda: TeamDraft.model_validate(body))
        same_name("team", name, draft.name)
        return team_view(library, validated(lambda: library.save_team(draft, create=False)))

    @router.delete("/teams/{name}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_team(request: Request, name: str) -> None:
        library_of(request).delete_team(name)

    return router
