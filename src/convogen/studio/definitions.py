"""What the studio defines once and teams reference by name: models, tools, agents, team drafts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from convogen.llm.config import KNOWN_API_TYPES
from convogen.llm.defaults import DEFAULT_MODEL_ENTRY
from convogen.specs.models import NAME_PATTERN, AgentSpec
from convogen.specs.secrets import ENV_NAME_PATTERN

LOCAL_MODEL = "local"
"""The model library's entry for the embedded model; always present."""


class ModelDef(BaseModel):
    """A model of the library: where to reach it and which variable holds its key."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    api_type: str = "openai"
    model: str = Field(min_length=1)
    base_url: str | None = None
    api_key_env: str | None = Field(default=None, pattern=ENV_NAME_PATTERN)
    max_tokens: int | None = Field(default=None, ge=1)

    @field_validator("api_type")
    @classmethod
    def _known_type(cls, api_type: str) -> str:
        if api_type not in KNOWN_API_TYPES:
            raise ValueError(f"api_type {api_type!r} is not one of {sorted(KNOWN_API_TYPES)}")
        return api_type

    def llm_config(self) -> dict[str, Any]:
        """The ``llm_config`` of an agent using this model (the key stays a reference)."""
        entry: dict[str, Any] = {"model": self.model, "api_type": self.api_type}
        if self.base_url:
            entry["base_url"] = self.base_url
        if self.api_key_env:
            entry["api_key_env"] = self.api_key_env
        config: dict[str, Any] = {"config_list": [entry]}
        if self.max_tokens is not None:
            config["max_tokens"] = self.max_tokens
        return config


def local_model() -> ModelDef:
    """The embedded model's library entry."""
    return ModelDef(
        name=LOCAL_MODEL,
        api_type=str(DEFAULT_MODEL_ENTRY["api_type"]),
        model=str(DEFAULT_MODEL_ENTRY["model"]),
        max_tokens=256,
    )


class ToolDef(BaseModel):
    """A tool of the library: a Python function agents can be given."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    ref: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$", description="'module:function'")
    description: str | None = None


class StudioAgent(AgentSpec):
    """An agent definition; ``model`` names a library model that becomes its ``llm_config``."""

    model: str | None = Field(default=None, pattern=NAME_PATTERN)

    @model_validator(mode="after")
    def _one_model_source(self) -> StudioAgent:
        if self.model is not None and self.llm_config not in (None, {}):
            raise ValueError("give model (a library model) or llm_config, not both")
        return self


class TeamDraft(BaseModel):
    """A team as the page sends it: members by name (library agents) or given in full.

    The other fields are those of `TeamSpec`; they are checked when the draft is resolved.
    """

    model_config = ConfigDict(extra="allow")

    name: str = Field(pattern=NAME_PATTERN)
    agents: list[str | AgentSpec] = Field(min_length=2)
    manager_model: str | None = Field(default=None, pattern=NAME_PATTERN)

    def agent_refs(self) -> list[str]:
        """The members given by name."""
        return [a for a in self.agents if isinstance(a, str)]
