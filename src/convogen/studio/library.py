"""The studio's definitions as JSON files: models, tools and agents defined once, teams of them.

A team's members given by name are references to library agents (and its ``manager_model``
to a library model): the team's runnable spec in ``specs/`` is rebuilt whenever one of them
changes, and nothing a team uses can be deleted.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from convogen.errors import ConfigError
from convogen.specs.models import NAME_PATTERN, AgentSpec, TeamSpec, load_spec, save_spec
from convogen.studio.definitions import (
    LOCAL_MODEL,
    ModelDef,
    StudioAgent,
    TeamDraft,
    ToolDef,
    local_model,
)
from convogen.studio.secrets import refuse_plain_secrets

_NAME = re.compile(NAME_PATTERN)
M = TypeVar("M", bound=BaseModel)


class NotFoundError(LookupError):
    """A named agent, team, run or file does not exist."""


class ConflictError(ValueError):
    """The request contradicts what exists (a name already taken, a run not waiting)."""


def check_name(field: str, name: str) -> str:
    """``name`` if it is a safe spec name (it becomes a file name), else a ConfigError."""
    if not _NAME.match(name):
        raise ConfigError(field, name, f"must match {NAME_PATTERN}")
    return name


def _names(items: list[str]) -> str:
    return ", ".join(repr(i) for i in items)


class _Folder:
    """Definitions of one kind, one JSON file each."""

    def __init__(self, folder: Path, kind: str, model: type[M]) -> None:
        self.folder = folder
        self.kind = kind
        self.model: type[BaseModel] = model
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(f'{self.kind} name', name)}.json"

    def load(self, path: Path) -> Any:
        return self.model.model_validate_json(path.read_text(encoding="utf-8"))

    def all(self) -> list[Any]:
        items = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                items.append(self.load(path))
            except (ValidationError, OSError):
                continue  # a hand-edited broken file must not hide the others
        return items

    def get(self, name: str) -> Any:
        path = self.path(name)
        if not path.is_file():
            raise NotFoundError(f"no {self.kind} named {name!r} (field 'name')")
        return self.load(path)

    def check_write(self, name: str, create: bool) -> Path:
        path = self.path(name)
        if create and path.exists():
            raise ConflictError(f"a {self.kind} named {name!r} already exists (field 'name')")
        if not create and not path.exists():
            raise NotFoundError(f"no {self.kind} named {name!r} (field 'name')")
        return path

    def write(self, item: BaseModel) -> None:
        data = item.model_dump(mode="json", exclude_none=True)
        self.path(str(data["name"])).write_text(json.dumps(data, indent=2), "utf-8")


class SpecLibrary:
    """Team specs in ``specs/`` (runnable with ``convogen run``), their drafts in ``teams/``,
    and the agents, models and tools they use."""

    def __init__(self, data_dir: Path) -> None:
        self.teams_dir = data_dir / "specs"
        self.teams_dir.mkdir(parents=True, exist_ok=True)
        self.drafts = _Folder(data_dir / "teams", "team", TeamDraft)
        self.agents = _Folder(data_dir / "agents", "agent", StudioAgent)
        self.models = _Folder(data_dir / "models", "model", ModelDef)
        self.tools = _Folder(data_dir / "tools", "tool", ToolDef)

    # ----------------------------------------------------------------- models
    def list_models(self) -> list[ModelDef]:
        """The embedded model, then the saved models by name."""
        return [local_model(), *(m for m in self.models.all() if m.name != LOCAL_MODEL)]

    def get_model(self, name: str) -> ModelDef:
        """The library model called ``name``."""
        model: ModelDef = local_model() if name == LOCAL_MODEL else self.models.get(name)
        return model

    def save_model(self, model: ModelDef, *, create: bool) -> ModelDef:
        """Write ``model``; the teams whose agents use it are rebuilt."""
        if model.name == LOCAL_MODEL:
            raise ConflictError(f"{LOCAL_MODEL!r} is the built-in embedded model (field 'name')")
        self.models.check_write(model.name, create)
        self._changing(self.models, model)
        return model

    def delete_model(self, name: str) -> None:
        """Remove a model that no agent or team uses."""
        if name == LOCAL_MODEL:
            raise ConflictError(f"{LOCAL_MODEL!r} is the built-in embedded model; it stays")
        agents = [a.name for a in self.agents.all() if a.model == name]
        teams = [d.name for d in self.drafts.all() if d.manager_model == name]
        self._refuse_in_use("model", name, agents, teams)
        self.models.get(name)
        self.models.path(name).unlink()

    # ------------------------------------------------------------------ tools
    def list_tools(self) -> list[ToolDef]:
        """The saved tools by name."""
        tools: list[ToolDef] = self.tools.all()
        return tools

    def save_tool(self, tool: ToolDef, *, create: bool) -> ToolDef:
        """Write ``tool`` once its function imports; agents using its old function follow."""
        import_tool(tool.ref, "ref")
        path = self.tools.check_write(tool.name, create)
        old = None if create else self.tools.load(path).ref
        self.tools.write(tool)
        if old is not None and old != tool.ref:
            for agent in self.agents.all():
                if old in agent.tools:
                    tools = [tool.ref if r == old else r for r in agent.tools]
                    self.agents.write(agent.model_copy(update={"tools": tools}))
            self.refresh_teams()
        return tool

    def delete_tool(self, name: str) -> None:
        """Remove a tool that no agent uses."""
        ref = self.tools.get(name).ref
        agents = [a.name for a in self.agents.all() if ref in a.tools]
        self._refuse_in_use("tool", name, agents, self.teams_using(agents))
        self.tools.path(name).unlink()

    # ----------------------------------------------------------------- agents
    def list_agents(self) -> list[StudioAgent]:
        """Every readable agent definition, by name."""
        agents: list[StudioAgent] = self.agents.all()
        return agents

    def get_agent(self, name: str) -> StudioAgent:
        """The agent definition called ``name``."""
        agent: StudioAgent = self.agents.get(name)
        return agent

    def save_agent(self, agent: StudioAgent, *, create: bool) -> StudioAgent:
        """Write ``agent``; the teams that use it are rebuilt with the new definition."""
        refuse_plain_secrets(agent)
        if agent.model is not None:
            self._known_model(agent.model, "model")
        self.agents.check_write(agent.name, create)
        self._changing(self.agents, agent)
        return agent

    def delete_agent(self, name: str) -> None:
        """Remove the definition of an agent that no team uses."""
        self.agents.get(name)
        self._refuse_in_use("agent", name, [], self.teams_using([name]))
        self.agents.path(name).unlink()

    def resolved_agent(self, name: str) -> AgentSpec:
        """The spec of library agent ``name``, its model written out as ``llm_config``."""
        agent = self.get_agent(name)
        data = agent.model_dump(exclude={"model"})
        if agent.model is not None:
            data["llm_config"] = self._known_model(agent.model, "model").llm_config()
        return AgentSpec.model_validate(data)

    # ------------------------------------------------------------------ teams
    def team_path(self, name: str) -> Path:
        """Where the spec file of team ``name`` lives."""
        return self.teams_dir / f"{check_name('team name', name)}.json"

    def list_teams(self) -> list[TeamSpec]:
        """Every readable team spec, by name; unreadable files are skipped."""
        teams = []
        for path in sorted(self.teams_dir.glob("*.json")):
            try:
                teams.append(load_spec(path))
            except ConfigError:
                continue
        return teams

    def get_team(self, name: str) -> TeamSpec:
        """The team spec called ``name``."""
        path = self.team_path(name)
        if not path.is_file():
            raise NotFoundError(f"no team named {name!r} (field 'team')")
        return load_spec(path)

    def get_draft(self, name: str) -> TeamDraft | None:
        """The references team ``name`` was saved with (None: every member given in full)."""
        path = self.drafts.path(name)
        draft: TeamDraft | None = self.drafts.load(path) if path.is_file() else None
        return draft

    def resolve(self, draft: TeamDraft) -> TeamSpec:
        """The runnable spec of ``draft``: referenced agents and manager model written out."""
        agents = []
        for index, member in enumerate(draft.agents):
            if isinstance(member, str):
                try:
                    member = self.resolved_agent(member)
                except NotFoundError as exc:
                    raise ConfigError(f"agents[{index}]", member, "is no library agent") from exc
            agents.append(member)
        data: dict[str, Any] = {**draft.model_dump(exclude={"agents", "manager_model"})}
        data["agents"] = agents
        if draft.manager_model is not None:
            model = self._known_model(draft.manager_model, "manager_model")
            data["manager_llm_config"] = model.llm_config()
        return TeamSpec.model_validate(data)

    def save_team(self, team: TeamSpec | TeamDraft, *, create: bool) -> TeamSpec:
        """Write a team; ``create`` refuses to overwrite, otherwise it must exist."""
        draft = team if isinstance(team, TeamDraft) else None
        spec = self.resolve(draft) if draft is not None else team
        assert isinstance(spec, TeamSpec)
        refuse_plain_secrets(spec)
        path = self.team_path(spec.name)
        if create and path.exists():
            raise ConflictError(f"a team named {spec.name!r} already exists (field 'name')")
        if not create and not path.exists():
            raise NotFoundError(f"no team named {spec.name!r} (field 'name')")
        save_spec(spec, path)
        keep = draft is not None and (draft.agent_refs() or draft.manager_model)
        if keep and draft is not None:
            self.drafts.write(draft)
        else:
            self.drafts.path(spec.name).unlink(missing_ok=True)
        return spec

    def delete_team(self, name: str) -> None:
        """Remove the spec file of team ``name``."""
        path = self.team_path(name)
        if not path.is_file():
            raise NotFoundError(f"no team named {name!r} (field 'name')")
        path.unlink()
        self.drafts.path(name).unlink(missing_ok=True)

    def import_team(self, spec: TeamSpec) -> TeamSpec:
        """Save an exported team: its agents join the library (same name: same definition)."""
        for agent in spec.agents:
            path = self.agents.path(agent.name)
            if path.is_file() and self.resolved_agent(agent.name) != agent:
                raise ConflictError(
                    f"the library's agent {agent.name!r} differs from the imported one; "
                    "rename one of them (field 'agents')"
                )
        if self.team_path(spec.name).exists():
            raise ConflictError(f"a team named {spec.name!r} already exists (field 'name')")
        for agent in spec.agents:
            if not self.agents.path(agent.name).is_file():
                self.save_agent(StudioAgent.model_validate(agent.model_dump()), create=True)
        data = spec.model_dump(exclude_none=True)
        data["agents"] = [a.name for a in spec.agents]
        return self.save_team(TeamDraft.model_validate(data), create=True)

    def teams_using(self, agents: list[str]) -> list[str]:
        """The teams that reference any of ``agents`` by name."""
        return [d.name for d in self.drafts.all() if set(d.agent_refs()) & set(agents)]

    def refresh_teams(self) -> None:
        """Rebuild the spec of every team saved with references."""
        for draft in self.drafts.all():
            if self.team_path(draft.name).is_file():
                save_spec(self.resolve(draft), self.team_path(draft.name))

    # ---------------------------------------------------------------- helpers
    def _known_model(self, name: str, field: str) -> ModelDef:
        try:
            return self.get_model(name)
        except NotFoundError as exc:
            raise ConfigError(field, name, "is no model of the library") from exc

    def _changing(self, folder: _Folder, item: BaseModel) -> None:
        """Write ``item`` and rebuild the teams; on failure the old file is put back."""
        path = folder.path(str(item.model_dump()["name"]))
        before = path.read_bytes() if path.is_file() else None
        folder.write(item)
        try:
            self.refresh_teams()
        except (ConfigError, ValidationError):
            if before is None:
                path.unlink()
            else:
                path.write_bytes(before)
            raise

    @staticmethod
    def _refuse_in_use(kind: str, name: str, agents: list[str], teams: list[str]) -> None:
        users = ([f"agents {_names(agents)}"] if agents else []) + (
            [f"teams {_names(teams)}"] if teams else []
        )
        if users:
            raise ConflictError(
                f"{kind} {name!r} is in use by {' and '.join(users)}; remove it from them first"
            )


def import_tool(ref: str, field: str) -> Callable[..., Any]:
    """The function a 'module:function' reference names; a ConfigError says why not."""
    module_name, _, attr = ref.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(field, ref, f"cannot be imported: {exc}") from exc
    if not callable(function):
        raise ConfigError(field, ref, "is not a function")
    return function  # type: ignore[no-any-return]
