"""Agent definitions and team specs kept as JSON files in the studio's data directory."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from convogen.errors import ConfigError
from convogen.specs.models import NAME_PATTERN, AgentSpec, TeamSpec, load_spec, save_spec
from convogen.studio.secrets import refuse_plain_secrets

_NAME = re.compile(NAME_PATTERN)


class NotFoundError(LookupError):
    """A named agent, team, run or file does not exist."""


class ConflictError(ValueError):
    """The request contradicts what exists (a name already taken, a run not waiting)."""


def check_name(field: str, name: str) -> str:
    """``name`` if it is a safe spec name (it becomes a file name), else a ConfigError."""
    if not _NAME.match(name):
        raise ConfigError(field, name, f"must match {NAME_PATTERN}")
    return name


class SpecLibrary:
    """Team specs in ``specs/`` (runnable with ``convogen run``) and agents in ``agents/``."""

    def __init__(self, data_dir: Path) -> None:
        self.teams_dir = data_dir / "specs"
        self.agents_dir = data_dir / "agents"
        self.teams_dir.mkdir(parents=True, exist_ok=True)
        self.agents_dir.mkdir(parents=True, exist_ok=True)

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
                continue  # a hand-edited broken file must not hide the others
        return teams

    def get_team(self, name: str) -> TeamSpec:
        """The team spec called ``name``."""
        path = self.team_path(name)
        if not path.is_file():
            raise NotFoundError(f"no team named {name!r} (field 'team')")
        return load_spec(path)

    def save_team(self, spec: TeamSpec, *, create: bool) -> TeamSpec:
        """Write ``spec``; ``create`` refuses to overwrite, otherwise it must exist."""
        path = self.team_path(spec.name)
        refuse_plain_secrets(spec)
        if create and path.exists():
            raise ConflictError(f"a team named {spec.name!r} already exists (field 'name')")
        if not create and not path.exists():
            raise NotFoundError(f"no team named {spec.name!r} (field 'name')")
        save_spec(spec, path)
        return spec

    def delete_team(self, name: str) -> None:
        """Remove the spec file of team ``name``."""
        path = self.team_path(name)
        if not path.is_file():
            raise NotFoundError(f"no team named {name!r} (field 'name')")
        path.unlink()

    # ----------------------------------------------------------------- agents
    def agent_path(self, name: str) -> Path:
        """Where the definition of agent ``name`` lives."""
        return self.agents_dir / f"{check_name('agent name', name)}.json"

    def list_agents(self) -> list[AgentSpec]:
        """Every readable agent definition, by name."""
        agents = []
        for path in sorted(self.agents_dir.glob("*.json")):
            try:
                agents.append(AgentSpec.model_validate_json(path.read_text(encoding="utf-8")))
            except (ValidationError, OSError):
                continue
        return agents

    def get_agent(self, name: str) -> AgentSpec:
        """The agent definition called ``name``."""
        path = self.agent_path(name)
        if not path.is_file():
            raise NotFoundError(f"no agent named {name!r} (field 'name')")
        return AgentSpec.model_validate_json(path.read_text(encoding="utf-8"))

    def save_agent(self, agent: AgentSpec, *, create: bool) -> AgentSpec:
        """Write ``agent``; ``create`` refuses to overwrite, otherwise it must exist."""
        path = self.agent_path(agent.name)
        refuse_plain_secrets(agent)
        if create and path.exists():
            raise ConflictError(f"an agent named {agent.name!r} already exists (field 'name')")
        if not create and not path.exists():
            raise NotFoundError(f"no agent named {agent.name!r} (field 'name')")
        data = agent.model_dump(mode="json", exclude_none=True)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return agent

    def delete_agent(self, name: str) -> None:
        """Remove the definition of agent ``name``."""
        path = self.agent_path(name)
        if not path.is_file():
            raise NotFoundError(f"no agent named {name!r} (field 'name')")
        path.unlink()
