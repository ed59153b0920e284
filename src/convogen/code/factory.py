"""Turning an AutoGen-0.2-style ``code_execution_config`` into an executor."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from convogen.code._validate import check_timeout
from convogen.code.config import (
    CLASSIC_NAMES,
    DEFAULT_TIMEOUT,
    DEFAULT_WORK_DIR,
    EXECUTOR_NAMES,
    CodeExecutionSettings,
    ExecutorChoice,
    did_you_mean,
    parse_code_execution_config,
)
from convogen.code.protocol import CodeExecutor
from convogen.errors import CodeExecutionError, ConfigError

__all__ = [
    "CLASSIC_NAMES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORK_DIR",
    "EXECUTOR_NAMES",
    "build_executor",
    "check_classic_args",
    "create_executor",
]


def create_executor(
    code_execution_config: Mapping[str, Any] | CodeExecutionSettings | ExecutorChoice,
) -> CodeExecutor:
    """Build the executor a code_execution_config asks for (the sandbox by default)."""
    if isinstance(code_execution_config, ExecutorChoice):
        return build_executor(code_execution_config)
    if isinstance(code_execution_config, CodeExecutionSettings):
        return build_executor(code_execution_config.executor)
    return build_executor(parse_code_execution_config(code_execution_config).executor)


def build_executor(choice: ExecutorChoice) -> CodeExecutor:
    """The executor a validated choice describes; an instance is returned as is."""
    if choice.instance is not None:
        return choice.instance
    return _BUILDERS[choice.name](choice)


def check_classic_args(name: str, args: object) -> Mapping[str, Any]:
    """The keyword arguments of a 0.2-named executor, checked against its constructor."""
    if not isinstance(args, Mapping):
        raise ConfigError(name, args, "must be a dict of the executor's keyword arguments")
    accepted = _classic_parameters(name)
    for key, value in args.items():
        field = f"code_execution_config[{name!r}][{key!r}]"
        if key not in accepted:
            raise ConfigError(
                field,
                value,
                f"not an argument of executor={name!r}{did_you_mean(str(key), accepted)}; "
                f"accepted: {', '.join(sorted(accepted))}",
            )
        if key == "timeout":
            check_timeout(value, field)
        if key in ("work_dir", "output_dir"):
            _check_classic_work_dir(field, value)
    if "output_dir" in args and "work_dir" in args:
        raise ConfigError(
            f"code_execution_config[{name!r}]['output_dir']",
            args["output_dir"],
            "cannot be combined with work_dir (output_dir is 0.2's name for it)",
        )
    return MappingProxyType(dict(args))


def _check_classic_work_dir(field: str, value: object) -> None:
    from convogen.code.workdir import check_work_dir

    if not isinstance(value, str | Path) or not str(value).strip():
        raise ConfigError(field, value, "must be a non-empty path")
    check_work_dir(value)


def _classic_parameters(name: str) -> frozenset[str]:
    """The keyword arguments the executor behind a 0.2 name accepts."""
    if name == "commandline-local":
        from convogen.code.local import LocalCommandLineCodeExecutor

        return frozenset(inspect.signature(LocalCommandLineCodeExecutor).parameters)
    from convogen.code.jupyter import JupyterCodeExecutor

    # 0.2's EmbeddedIPythonCodeExecutor called its work dir output_dir.
    return frozenset(inspect.signature(JupyterCodeExecutor).parameters) | {"output_dir"}


def _sandbox(choice: ExecutorChoice) -> CodeExecutor:
    from convogen.code.sandbox import SandboxCodeExecutor

    return SandboxCodeExecutor(timeout=choice.timeout, work_dir=choice.work_dir)


def _local(choice: ExecutorChoice) -> CodeExecutor:
    from convogen.code.local import LocalCommandLineCodeExecutor

    return LocalCommandLineCodeExecutor(
        timeout=choice.timeout, work_dir=choice.work_dir, create_parents=True
    )


def _jupyter(choice: ExecutorChoice) -> CodeExecutor:
    from convogen.code.jupyter import JupyterCodeExecutor

    return JupyterCodeExecutor(timeout=choice.timeout, work_dir=choice.work_dir)


def _docker(choice: ExecutorChoice) -> CodeExecutor:
    from convogen.code.docker import DEFAULT_IMAGE, DockerCommandLineCodeExecutor, docker_problem

    problem = docker_problem()
    if problem is not None:
        raise CodeExecutionError(
            f"use_docker={choice.use_docker!r} but Docker isn't reachable: {problem}. "
            "Drop use_docker (convogen's default is the bubblewrap sandbox) or set "
            "use_docker=False to use the default sandbox instead."
        )
    image = choice.docker_image or DEFAULT_IMAGE
    return DockerCommandLineCodeExecutor(
        image=image, timeout=choice.timeout, work_dir=choice.work_dir
    )


def _commandline_local(choice: ExecutorChoice) -> CodeExecutor:
    from convogen.code.local import LocalCommandLineCodeExecutor

    return LocalCommandLineCodeExecutor(**choice.classic_args)


def _ipython_embedded(choice: ExecutorChoice) -> CodeExecutor:
    from convogen.code.jupyter import JupyterCodeExecutor

    args = dict(choice.classic_args)
    if "output_dir" in args:
        args["work_dir"] = args.pop("output_dir")
    return JupyterCodeExecutor(**args)


_BUILDERS: dict[str, Callable[[ExecutorChoice], CodeExecutor]] = {
    "sandbox": _sandbox,
    "local": _local,
    "jupyter": _jupyter,
    "docker": _docker,
    "commandline-local": _commandline_local,
    "ipython-embedded": _ipython_embedded,
}
