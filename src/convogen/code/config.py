"""A ``code_execution_config`` dict validated once into typed settings.

``parse_code_execution_config`` checks every key AutoGen 0.2 accepts (``executor``,
``work_dir``, ``use_docker``, ``timeout``, ``last_n_messages``, and the executor-named
``commandline-local`` / ``ipython-embedded`` argument dicts) plus convogen's own
``use_unsafe_local`` and executor names, and refuses typos, wrong types and contradictions
with a ``ConfigError`` naming the key. ``CodeExecutionConfigView`` is the 0.2 dict agents
expose: it stays a real dict, and every change to it is validated before it is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

from convogen.code._validate import check_timeout
from convogen.code.protocol import CodeExecutor
from convogen.code.workdir import check_work_dir
from convogen.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_WORK_DIR = "coding"
DEFAULT_TIMEOUT = 60.0
ExecutorName = Literal[
    "sandbox", "local", "jupyter", "docker", "commandline-local", "ipython-embedded", "instance"
]
EXECUTOR_NAMES: tuple[str, ...] = ("sandbox", "local", "jupyter", "docker")
# AutoGen 0.2's executor names; their keyword arguments come under a key of the same name.
CLASSIC_NAMES: tuple[str, ...] = ("commandline-local", "ipython-embedded")
# Keys that configure the executor directly; none may accompany an instance or a 0.2 name.
_DIRECT_KEYS = ("work_dir", "timeout", "use_docker", "use_unsafe_local")
KNOWN_KEYS = frozenset({*_DIRECT_KEYS, "executor", "last_n_messages", *CLASSIC_NAMES})
_UNSUPPORTED = {
    "filename": "0.2's legacy key is not supported; name the file with a first line "
    "'# filename: <name>' in the code block instead",
}
_NO_ARGS: Mapping[str, Any] = MappingProxyType({})
_T = TypeVar("_T")


@dataclass(frozen=True)
class ExecutorChoice:
    """Which executor to build and with what; equal choices build equivalent executors."""

    name: ExecutorName = "sandbox"
    instance: CodeExecutor | None = None
    work_dir: str | Path = DEFAULT_WORK_DIR
    timeout: float = DEFAULT_TIMEOUT
    # The image use_docker asks for: '' for the default image, None when docker is not used.
    docker_image: str | None = None
    # use_docker as the user wrote it, for messages that must quote it.
    use_docker: object = field(default=None, compare=False)
    # Keyword arguments of a 0.2-named executor ("commandline-local", "ipython-embedded").
    classic_args: Mapping[str, Any] = field(default_factory=lambda: _NO_ARGS)

    def create(self) -> CodeExecutor:
        """Build the executor this choice describes (an instance is returned as is)."""
        from convogen.code.factory import build_executor

        return build_executor(self)


@dataclass(frozen=True)
class CodeExecutionSettings:
    """A validated ``code_execution_config``: the executor choice and how far back to look."""

    executor: ExecutorChoice = field(default_factory=ExecutorChoice)
    last_n_messages: int | Literal["auto"] = "auto"


def parse_code_execution_config(config: object) -> CodeExecutionSettings:
    """Validate a 0.2 ``code_execution_config`` dict into settings; ConfigError names the key."""
    if not isinstance(config, Mapping):
        raise ConfigError(
            "code_execution_config", config, f"must be a dict or False, not {type(config).__name__}"
        )
    _check_keys(config)
    return CodeExecutionSettings(
        executor=_executor_choice(config),
        last_n_messages=_last_n_messages(config.get("last_n_messages", "auto")),
    )


def settings_of(config: Mapping[str, Any] | Literal[False]) -> CodeExecutionSettings | None:
    """The settings behind an agent's ``code_execution_config`` (None when execution is off)."""
    if config is False:
        return None
    if isinstance(config, CodeExecutionConfigView):
        return config.settings
    return parse_code_execution_config(config)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss of a known word, '' otherwise."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(config: Mapping[Any, Any]) -> None:
    for key in config:
        if not isinstance(key, str):
            raise ConfigError(f"code_execution_config[{key!r}]", key, "keys must be strings")
        if key in _UNSUPPORTED:
            raise ConfigError(f"code_execution_config[{key!r}]", config[key], _UNSUPPORTED[key])
        if key not in KNOWN_KEYS:
            raise ConfigError(
                f"code_execution_config[{key!r}]",
                config[key],
                f"unknown key{did_you_mean(key, KNOWN_KEYS)}; "
                f"known keys: {', '.join(sorted(KNOWN_KEYS))}",
            )


def _last_n_messages(value: object) -> int | Literal["auto"]:
    if value == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError("last_n_messages", value, "must be a non-negative int or 'auto'")
    return value


def _executor_choice(config: Mapping[str, Any]) -> ExecutorChoice:
    """The executor the config selects; contradictions are errors, not guesses."""
    chosen = config.get("executor")
    _check_classic_args_belong(config, chosen)
    if chosen is None or chosen in EXECUTOR_NAMES:
        return _named_choice(config, chosen)
    if isinstance(chosen, str) and chosen in CLASSIC_NAMES:
        _refuse_direct_keys(config, f"executor={chosen!r}")
        from convogen.code.factory import check_classic_args

        args = check_classic_args(chosen, config.get(chosen, {}))
        return ExecutorChoice(name=cast(ExecutorName, chosen), classic_args=args)
    if not isinstance(chosen, str) and isinstance(chosen, CodeExecutor):
        _refuse_direct_keys(config, "an executor instance")
        return ExecutorChoice(name="instance", instance=chosen)
    every = (*EXECUTOR_NAMES, *CLASSIC_NAMES)
    hint = did_you_mean(chosen, every) if isinstance(chosen, str) else ""
    raise ConfigError(
        "executor", chosen, f"must be one of {', '.join(every)} or a CodeExecutor{hint}"
    )


def _check_classic_args_belong(config: Mapping[str, Any], chosen: object) -> None:
    for name in CLASSIC_NAMES:
        if name in config and chosen != name:
            raise ConfigError(
                f"code_execution_config[{name!r}]",
                config[name],
                f"holds the arguments of executor={name!r}, but executor is {chosen!r}",
            )


def _refuse_direct_keys(config: Mapping[str, Any], what: str) -> None:
    for key in _DIRECT_KEYS:
        if key in config:
            raise ConfigError(
                key, config[key], f"cannot be combined with {what}; configure the executor itself"
            )


def _named_choice(config: Mapping[str, Any], chosen: str | None) -> ExecutorChoice:
    image = _docker_image(config.get("use_docker"))
    unsafe = config.get("use_unsafe_local", False)
    if not isinstance(unsafe, bool):
        raise ConfigError("use_unsafe_local", unsafe, "must be a bool")
    name = _resolve_name(chosen, image, unsafe, config.get("use_docker"))
    return ExecutorChoice(
        name=name,
        work_dir=_work_dir(config.get("work_dir")),
        timeout=_timeout(config.get("timeout")),
        docker_image=image,
        use_docker=config.get("use_docker"),
    )


def _resolve_name(
    chosen: str | None, image: str | None, unsafe: bool, use_docker: object
) -> ExecutorName:
    if chosen is None:
        if unsafe and image is not None:
            raise ConfigError(
                "use_unsafe_local", unsafe, "conflicts with use_docker; choose one executor"
            )
        if unsafe:
            return "local"
        return "docker" if image is not None else "sandbox"
    if image is not None and chosen != "docker":
        raise ConfigError("use_docker", use_docker, f"conflicts with executor={chosen!r}")
    if unsafe and chosen != "local":
        raise ConfigError("use_unsafe_local", unsafe, f"conflicts with executor={chosen!r}")
    return cast(ExecutorName, chosen)


def _docker_image(value: object) -> str | None:
    """The image asked for by use_docker, '' for 'the default image', None for 'no docker'."""
    if value is None or value is False:
        return None
    if value is True:
        return ""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) and v for v in value):
        return str(value[0])  # AutoGen 0.2 accepted a list of candidate images
    raise ConfigError("use_docker", value, "must be a bool, an image name or a list of images")


def _work_dir(value: object) -> str | Path:
    """The work dir as given (None: the default); dangerous places are refused now."""
    if value is None:
        return DEFAULT_WORK_DIR
    if not isinstance(value, str | Path) or not str(value).strip():
        raise ConfigError("work_dir", value, "must be a non-empty path")
    check_work_dir(value)  # refuses /etc, ~/.ssh, ... before any chat starts
    return value


def _timeout(value: object) -> float:
    return DEFAULT_TIMEOUT if value is None else check_timeout(value)


class CodeExecutionConfigView(dict[str, Any]):
    """The 0.2 ``code_execution_config`` dict of an agent; changes are validated first."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._settings = parse_code_execution_config(config)
        super().__init__(config)

    @property
    def settings(self) -> CodeExecutionSettings:
        """The validated settings of the dict as it is now."""
        return self._settings

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def _change(self, change: Callable[[dict[str, Any]], _T]) -> _T:
        candidate = dict(self)
        result = change(candidate)
        self._settings = parse_code_execution_config(candidate)
        super().clear()
        super().update(candidate)
        return result

    def __setitem__(self, key: str, value: Any) -> None:
        self._change(lambda d: d.__setitem__(key, value))

    def __delitem__(self, key: str) -> None:
        self._change(lambda d: d.__delitem__(key))

    # typeshed's overloads of dict.__ior__/__or__ cannot be matched by one validated override.
    def __ior__(self, other: Mapping[str, Any]) -> Self:  # type: ignore[override,misc]
        self._change(lambda d: d.update(other))
        return self

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` and return its value (validated like every change)."""
        return self._change(lambda d: d.pop(key, *default))

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item (validated like every change)."""
        return self._change(lambda d: d.popitem())

    def setdefault(self, key: str, default: Any = None) -> Any:
        """``dict.setdefault``, validated like every change."""
        return self._change(lambda d: d.setdefault(key, default))

    def update(self, *args: Any, **kwargs: Any) -> None:
        """``dict.update``, validated like every change."""
        self._change(lambda d: d.update(*args, **kwargs))

    def clear(self) -> None:
        """Remove every key: the default settings (the sandbox in ./coding)."""
        self._change(lambda d: d.clear())
