"""Turning an AutoGen-0.2-style ``code_execution_config`` dict into an executor."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from convogen.code._validate import check_timeout
from convogen.code.protocol import CodeExecutor
from convogen.errors import CodeExecutionError, ConfigError

DEFAULT_WORK_DIR = "coding"
DEFAULT_TIMEOUT = 60
EXECUTOR_NAMES = ("sandbox", "local", "jupyter", "docker")
# AutoGen 0.2's executor names; their keyword arguments come under a key of the same name.
CLASSIC_NAMES = {"commandline-local": "local", "ipython-embedded": "jupyter"}
KNOWN_KEYS = frozenset(
    {"work_dir", "timeout", "use_docker", "executor", "use_unsafe_local", "last_n_messages"}
) | frozenset(CLASSIC_NAMES)


def _docker_image(value: object) -> str | None:
    """The image asked for by use_docker, '' for 'the default image', None for 'no docker'."""
    if value is None or value is False:
        return None
    if value is True:
        return ""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return str(value[0])  # AutoGen 0.2 accepted a list of candidate images
    raise ConfigError("use_docker", value, "must be a bool, an image name or a list of images")


def _check_config(config: object) -> dict[str, Any]:
    if not isinstance(config, Mapping):
        raise ConfigError("code_execution_config", config, "must be a dict")
    for key in config:
        if key not in KNOWN_KEYS:
            raise ConfigError(
                f"code_execution_config[{key!r}]",
                config[key],
                f"unknown key; known keys: {', '.join(sorted(KNOWN_KEYS))}",
            )
    checked = dict(config)
    work_dir = checked.get("work_dir", DEFAULT_WORK_DIR)
    if not isinstance(work_dir, str | Path) or not str(work_dir):
        raise ConfigError("work_dir", work_dir, "must be a non-empty path")
    checked["work_dir"] = work_dir
    checked["timeout"] = check_timeout(checked.get("timeout", DEFAULT_TIMEOUT))
    unsafe = checked.get("use_unsafe_local", False)
    if not isinstance(unsafe, bool):
        raise ConfigError("use_unsafe_local", unsafe, "must be a bool")
    last_n = checked.get("last_n_messages", "auto")
    if last_n != "auto" and (isinstance(last_n, bool) or not isinstance(last_n, int) or last_n < 0):
        raise ConfigError("last_n_messages", last_n, "must be a non-negative int or 'auto'")
    return checked


def _executor_choice(config: Mapping[str, Any]) -> str:
    """Which executor the config selects; contradictions are errors, not guesses."""
    chosen = config.get("executor")
    image = _docker_image(config.get("use_docker"))
    unsafe = config.get("use_unsafe_local", False)
    if chosen is None:
        if unsafe and image is not None:
            raise ConfigError(
                "use_unsafe_local", unsafe, "conflicts with use_docker; choose one executor"
            )
        if unsafe:
            return "local"
        return "docker" if image is not None else "sandbox"
    if not isinstance(chosen, str) or chosen not in EXECUTOR_NAMES:
        raise ConfigError(
            "executor",
            chosen,
            f"must be one of {', '.join((*EXECUTOR_NAMES, *CLASSIC_NAMES))} or a CodeExecutor",
        )
    if image is not None and chosen != "docker":
        raise ConfigError("use_docker", config.get("use_docker"), f"conflicts with {chosen=}")
    if unsafe and chosen != "local":
        raise ConfigError("use_unsafe_local", unsafe, f"conflicts with {chosen=}")
    return chosen


def create_executor(code_execution_config: dict[str, Any]) -> CodeExecutor:
    """Build the executor a code_execution_config asks for (the sandbox by default)."""
    instance = (
        code_execution_config.get("executor")
        if isinstance(code_execution_config, Mapping)
        else None
    )
    if instance is not None and not isinstance(instance, str):
        if not isinstance(instance, CodeExecutor):
            raise ConfigError(
                "executor", instance, "is neither an executor name nor a CodeExecutor"
            )
        for key in ("work_dir", "timeout", "use_docker", "use_unsafe_local"):
            if key in code_execution_config:
                raise ConfigError(
                    key, code_execution_config[key], "cannot be combined with an executor instance"
                )
        return instance
    if isinstance(instance, str) and instance in CLASSIC_NAMES:
        return _create_classic(instance, code_execution_config)
    config = _check_config(code_execution_config)
    choice = _executor_choice(config)
    work_dir, timeout = config["work_dir"], config["timeout"]
    if choice == "local":
        from convogen.code.local import LocalCommandLineCodeExecutor

        return LocalCommandLineCodeExecutor(timeout=timeout, work_dir=work_dir, create_parents=True)
    if choice == "jupyter":
        from convogen.code.jupyter import JupyterCodeExecutor

        return JupyterCodeExecutor(timeout=timeout, work_dir=work_dir)
    if choice == "docker":
        from convogen.code.docker import (
            DEFAULT_IMAGE,
            DockerCommandLineCodeExecutor,
            docker_problem,
        )

        problem = docker_problem()
        if problem is not None:
            raise CodeExecutionError(
                f"use_docker={config.get('use_docker')!r} but Docker isn't reachable: {problem}. "
                "Drop use_docker (convogen's default is the bubblewrap sandbox) or set "
                "use_docker=False to use the default sandbox instead."
            )
        image = _docker_image(config.get("use_docker")) or DEFAULT_IMAGE
        return DockerCommandLineCodeExecutor(image=image, timeout=timeout, work_dir=work_dir)
    from convogen.code.sandbox import SandboxCodeExecutor

    return SandboxCodeExecutor(timeout=timeout, work_dir=work_dir)


def _create_classic(name: str, config: dict[str, Any]) -> CodeExecutor:
    """An executor named the 0.2 way, built from the keyword arguments under its name."""
    for key in ("work_dir", "timeout", "use_docker", "use_unsafe_local"):
        if key in config:
            raise ConfigError(key, config[key], f"cannot be combined with executor={name!r}")
    kwargs = config.get(name, {})
    if not isinstance(kwargs, Mapping):
        raise ConfigError(name, kwargs, "must be a dict of the executor's keyword arguments")
    if name == "commandline-local":
        from convogen.code.local import LocalCommandLineCodeExecutor

        return LocalCommandLineCodeExecutor(**kwargs)
    from convogen.code.jupyter import JupyterCodeExecutor

    jupyter_args = dict(kwargs)
    if "output_dir" in jupyter_args:
        jupyter_args["work_dir"] = jupyter_args.pop("output_dir")
    return JupyterCodeExecutor(**jupyter_args)
