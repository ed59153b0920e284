"""The spec file format, validated with pydantic so errors name the field that is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from convogen.errors import ConfigError
from convogen.specs.secrets import check_env_refs

NAME_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class AgentSpec(BaseModel):
    """One agent: its kind, messages, model and behaviour."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    kind: Literal["assistant", "user_proxy", "conversable"] = "assistant"
    system_message: str | None = None
    description: str | None = None
    llm_config: dict[str, Any] | Literal[False] | None = None
    human_input_mode: Literal["ALWAYS", "TERMINATE", "NEVER"] | None = None
    max_consecutive_auto_reply: int | None = Field(default=None, ge=0)
    code_execution: Literal[False] | dict[str, Any] = False
    tools: list[str] = Field(default_factory=list, description="'module:function' references")

    @field_validator("llm_config")
    @classmethod
    def _key_references(cls, llm_config: Any) -> Any:
        check_env_refs(llm_config)
        return llm_config

    @field_validator("tools")
    @classmethod
    def _tool_references(cls, tools: list[str]) -> list[str]:
        for ref in tools:
            module, _, attr = ref.partition(":")
            if not module or not attr:
                raise ValueError(f"tool reference {ref!r} must look like 'package.module:function'")
        return tools


class TeamSpec(BaseModel):
    """A team: two agents in a chat, or a group chat with a speaker-selection method."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    type: Literal["two_agent", "group_chat"] = "two_agent"
    agents: list[AgentSpec] = Field(min_length=2)
    initiator: str
    recipient: str | None = None
    speaker_selection_method: Literal["auto", "round_robin", "random", "manual"] = "auto"
    max_round: int = Field(default=10, ge=1)
    max_turns: int | None = Field(default=None, ge=1)
    manager_llm_config: dict[str, Any] | Literal[False] | None = None
    task: str | None = None
    allowed_transitions: dict[str, list[str]] | None = Field(
        default=None, description="group chat: who may speak after whom (agent name -> names)"
    )

    @field_validator("manager_llm_config")
    @classmethod
    def _key_references(cls, llm_config: Any) -> Any:
        check_env_refs(llm_config, "manager_llm_config")
        return llm_config

    @model_validator(mode="after")
    def _references(self) -> TeamSpec:
        names = [a.name for a in self.agents]
        if len(set(names)) != len(names):
            raise ValueError(f"agent names must be unique, got {names}")
        if self.initiator not in names:
            raise ValueError(f"initiator {self.initiator!r} is not one of the agents {names}")
        if self.type == "two_agent":
            if self.recipient is None:
                others = [n for n in names if n != self.initiator]
                self.recipient = others[0]
            if self.recipient not in names or self.recipient == self.initiator:
                raise ValueError(f"recipient {self.recipient!r} must be another agent of {names}")
        self._check_transitions(names)
        return self

    def _check_transitions(self, names: list[str]) -> None:
        if self.allowed_transitions is None:
            return
        if self.type != "group_chat":
            raise ValueError("allowed_transitions applies to group chats only")
        for source, targets in self.allowed_transitions.items():
            unknown = [n for n in (source, *targets) if n not in names]
            if unknown:
                raise ValueError(f"allowed_transitions names {unknown}, not agents of {names}")


def load_spec(path: str | Path) -> TeamSpec:
    """Read and validate a team spec file (JSON)."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("spec file", str(file), "does not exist") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(
            "spec file", str(file), f"is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from exc
    return parse_spec(data, source=str(file))


def parse_spec(data: Any, source: str = "spec") -> TeamSpec:
    """Validate spec data; the error names each wrong field."""
    try:
        return TeamSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(spec)'}: {err['msg']}"
            for err in exc.errors(include_url=False)
        )
        raise ConfigError(source, "...", problems) from exc


def save_spec(spec: TeamSpec, path: str | Path) -> Path:
    """Write ``spec`` as pretty JSON."""
    file = Path(path)
    file.write_text(spec.model_dump_json(indent=2, exclude_none=True), encoding="utf-8")
    return file
