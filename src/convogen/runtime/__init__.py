"""Runtimes: the same chats in this process (``LocalRuntime``) or on Ray (``RayRuntime``).

Ray is imported only when a Ray runtime or a remote agent is actually used.
"""

from convogen.runtime.actors import AgentActor, RemoteAgent, build_remote_team, start_agent_actor
from convogen.runtime.base import Runtime
from convogen.runtime.jobs import Job, JobResult
from convogen.runtime.local import LocalRuntime
from convogen.runtime.ray_runtime import RayRuntime
from convogen.runtime.store import JsonlResultStore, ResultStore

__all__ = [
    "AgentActor",
    "Job",
    "JobResult",
    "JsonlResultStore",
    "LocalRuntime",
    "RayRuntime",
    "RemoteAgent",
    "ResultStore",
    "Runtime",
    "build_remote_team",
    "start_agent_actor",
]
