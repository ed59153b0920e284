"""Agent builder: a model designs and creates a team of expert agents for a task."""

from convogen.apps.builder.builder import AgentBuilder, BuilderConfigError

__all__ = ["AgentBuilder", "BuilderConfigError"]
