"""The text-environment interface, and an adapter for ALFWorld/TextWorld-style env objects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from convogen.errors import ConfigError

NOTHING_HAPPENS = "Nothing happens."


@runtime_checkable
class TextEnvironment(Protocol):
    """A text game: observations are strings, actions are commands."""

    def reset(self) -> tuple[str, dict[str, Any]]:
        """Start an episode; returns the first observation and an info dict."""
        ...

    def step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        """Run one command; returns (observation, reward, done, info)."""
        ...

    @property
    def admissible_commands(self) -> list[str]:
        """Commands that make sense in the current state."""
        ...


def _first(value: Any) -> Any:
    """The single element of a batch of one (ALFWorld batches everything), else the value."""
    if isinstance(value, list | tuple) and len(value) == 1:
        return value[0]
    return value


class GymTextEnvAdapter:
    """Makes any object with ``reset``/``step`` (ALFWorld, TextWorld) a ``TextEnvironment``.

    Batched envs (ALFWorld's ``step`` takes a list of actions and every result is a list)
    are detected from the observation ``reset`` returns, or set with ``batched``. Success is
    read from ``info['won']`` when the env reports it, else from a positive reward at the end.
    """

    def __init__(self, env: Any, batched: bool | None = None) -> None:
        for method in ("reset", "step"):
            if not callable(getattr(env, method, None)):
                raise ConfigError("env", type(env).__name__, f"has no callable {method}()")
        self.env = env
        self.batched = batched
        self._info: dict[str, Any] = {}
        self.won = False

    def reset(self) -> tuple[str, dict[str, Any]]:
        """Reset the wrapped env and unwrap its (observation, info)."""
        raw = self.env.reset()
        observation, info = raw if isinstance(raw, tuple) and len(raw) == 2 else (raw, {})
        if self.batched is None:
            self.batched = isinstance(observation, list | tuple)
        self._info = self._unbatch_info(info)
        self.won = False
        return str(_first(observation)), self._info

    def step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        """Send ``action`` (as a batch of one when batched) and unwrap the result."""
        raw = self.env.step([action] if self.batched else action)
        if not isinstance(raw, tuple) or len(raw) not in (4, 5):
            raise ConfigError("env.step()", type(raw).__name__, "must return a 4- or 5-tuple")
        if len(raw) == 5:  # gymnasium style: obs, reward, terminated, truncated, info
            observation, reward, terminated, truncated, info = raw
            done: Any = bool(_first(terminated)) or bool(_first(truncated))
        else:
            observation, reward, done, info = raw
        self._info = self._unbatch_info(info)
        reward_value = float(_first(reward) or 0.0)
        finished = bool(_first(done))
        self.won = bool(self._info.get("won", finished and reward_value > 0))
        return str(_first(observation)), reward_value, finished, self._info

    @property
    def admissible_commands(self) -> list[str]:
        """The env's admissible commands, from the last info or an attribute, else []."""
        commands = self._info.get("admissible_commands")
        if commands is None:
            commands = getattr(self.env, "admissible_commands", None)
        if commands is None:
            return []
        return [str(c) for c in commands]

    def _unbatch_info(self, info: Any) -> dict[str, Any]:
        if not isinstance(info, dict):
            return {}
        unwrapped: dict[str, Any] = {}
        for key, value in info.items():
            # In a batch every value is a list with one entry per game; commands are lists.
            if self.batched and isinstance(value, Sequence) and not isinstance(value, str):
                unwrapped[key] = value[0] if len(value) == 1 else value
            else:
                unwrapped[key] = value
        return unwrapped


def as_environment(env: Any) -> TextEnvironment:
    """``env`` itself when it already has ``admissible_commands``, else a wrapping adapter."""
    if isinstance(env, TextEnvironment):
        return env
    return GymTextEnvAdapter(env)


def episode_won(env: TextEnvironment, reward: float, done: bool, info: dict[str, Any]) -> bool:
    """Whether an episode that ended with these values was a success."""
    if "won" in info:
        return bool(info["won"])
    won = getattr(env, "won", None)
    if isinstance(won, bool):
        return won
    return done and reward > 0
