"""Running code blocks directly on the host: no isolation, only when asked for by name."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from string import Template
from types import SimpleNamespace
from typing import ClassVar

from convogen.code._process import RunOutcome, run_command
from convogen.code._validate import check_positive_int, check_timeout
from convogen.code._workspace import changed_files, snapshot
from convogen.code.functions import (
    UserFunction,
    functions_module_source,
    required_packages,
    to_stub,
)
from convogen.code.host_env import check_pass_env, code_env
from convogen.code.host_reaper import RUN_MARKER_NAME, MarkerReaper, new_run_marker
from convogen.code.local_files import (
    DEFAULT_EXECUTION_POLICY,
    POWERSHELL_LANGUAGES,
    PYTHON_VARIANTS,
    SUPPORTED_LANGUAGES,
    code_file_name,
    sanitize_command,
    silence_pip,
    write_text_file,
)
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.code.workdir import check_work_dir
from convogen.errors import ConfigError

logger = logging.getLogger("convogen.code")

FUNCTION_PROMPT_TEMPLATE = """You have access to the following user defined functions. \
They can be accessed from the module called `$module_name` by their function names.

For example, if there was a function called `foo` you could import it by writing \
`from $module_name import foo`

$functions"""


def _check_policies(value: object) -> dict[str, bool]:
    policies = dict(DEFAULT_EXECUTION_POLICY)
    if value is None:
        return policies
    if not isinstance(value, Mapping):
        raise ConfigError("execution_policies", value, "must be a dict of language -> bool")
    for lang, run in value.items():
        if not isinstance(lang, str) or not isinstance(run, bool):
            raise ConfigError("execution_policies", {lang: run}, "entries must be str -> bool")
        policies[lang.lower()] = run
    return policies


def _check_venv(value: object) -> SimpleNamespace | None:
    if value is None:
        return None
    if not isinstance(value, SimpleNamespace) or not all(
        hasattr(value, a) for a in ("env_dir", "env_exe", "bin_path")
    ):
        raise ConfigError(
            "virtual_env_context", value, "must be the context create_virtual_env() returns"
        )
    return value


class LocalCommandLineCodeExecutor:
    """Runs code blocks as host subprocesses in work_dir (UNSAFE: full access to the host).

    As in 0.2, only the last directory of ``work_dir`` is created (a missing parent is a
    ``FileNotFoundError``); ``create_parents=True`` (a convogen addition) creates them all.
    """

    SUPPORTED_LANGUAGES: ClassVar[list[str]] = list(SUPPORTED_LANGUAGES)
    DEFAULT_EXECUTION_POLICY: ClassVar[dict[str, bool]] = dict(DEFAULT_EXECUTION_POLICY)
    FUNCTION_PROMPT_TEMPLATE: ClassVar[str] = FUNCTION_PROMPT_TEMPLATE

    def __init__(
        self,
        timeout: float = 60,
        virtual_env_context: SimpleNamespace | None = None,
        work_dir: str | Path = Path("."),
        functions: Sequence[UserFunction] = (),
        functions_module: str = "functions",
        execution_policies: Mapping[str, bool] | None = None,
        *,
        max_output_bytes: int = 64 * 1024,
        env: Mapping[str, str] | None = None,
        pass_env: Iterable[str] = (),
        create_parents: bool = False,
    ) -> None:
        self._timeout = check_timeout(timeout)
        if self._timeout < 1:
            raise ConfigError("timeout", timeout, "must be at least 1 second")
        self._max_output_bytes = check_positive_int("max_output_bytes", max_output_bytes)
        if not isinstance(functions_module, str) or not functions_module.isidentifier():
            raise ConfigError("functions_module", functions_module, "must be a Python identifier")
        self._functions_module = functions_module
        self._functions = list(functions)
        self._functions_ready = not self._functions
        self.execution_policies = _check_policies(execution_policies)
        self._venv = _check_venv(virtual_env_context)
        self._env = self._build_env(env, check_pass_env(pass_env))
        self._work_dir = check_work_dir(work_dir)
        # As in 0.2 only the last directory is made, unless create_parents (convogen's own
        # callers, whose 0.2 counterparts made the whole path) asks for all of them.
        if create_parents:
            self._work_dir.parent.mkdir(parents=True, exist_ok=True)
        if not self._work_dir.parent.is_dir():
            raise FileNotFoundError(
                f"work_dir {str(work_dir)!r}: its parent directory {str(self._work_dir.parent)!r} "
                "does not exist"
            )
        self._work_dir.mkdir(exist_ok=True)
        self._given_work_dir = Path(work_dir).expanduser()
        logger.warning(
            "LocalCommandLineCodeExecutor runs model-written code directly on this host "
            "(work_dir=%s) with your user's full permissions; prefer the default sandbox",
            self._work_dir,
        )

    def _build_env(
        self, env: Mapping[str, str] | None, pass_env: tuple[str, ...]
    ) -> dict[str, str]:
        """Allow-listed host variables (or the env given as is), plus the venv's PATH."""
        if env is not None and not isinstance(env, Mapping):
            raise ConfigError("env", env, "must be a mapping of str to str")
        built = code_env(pass_env) if env is None else dict(env)
        built["PYTHONUNBUFFERED"] = "1"
        if self._venv is not None:
            bin_path = str(Path(self._venv.bin_path).resolve())
            built["PATH"] = bin_path + (":" + built["PATH"] if built.get("PATH") else "")
            built["VIRTUAL_ENV"] = str(Path(self._venv.env_dir).resolve())
        return built

    @property
    def work_dir(self) -> Path:
        """Where code files are written and run, as given (``~`` expanded), like 0.2."""
        return self._given_work_dir

    @property
    def timeout(self) -> float:
        """Wall-clock seconds one block may run."""
        return self._timeout

    @property
    def functions_module(self) -> str:
        """The module name under which the user functions can be imported."""
        return self._functions_module

    @property
    def functions(self) -> list[UserFunction]:
        """The user functions offered to the code."""
        return self._functions

    @property
    def env(self) -> dict[str, str]:
        """A copy of the environment code runs with."""
        return dict(self._env)

    @staticmethod
    def sanitize_command(lang: str, code: str) -> None:
        """Raise ValueError when shell code contains a known self-destructive command."""
        sanitize_command(lang, code)

    def format_functions_for_prompt(self, prompt_template: str = FUNCTION_PROMPT_TEMPLATE) -> str:
        """Describe the user functions for a system message ($module_name, $functions)."""
        stubs = "\n\n".join(to_stub(func) for func in self._functions)
        return Template(prompt_template).substitute(
            module_name=self._functions_module, functions=stubs
        )

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run (or save, per execution policy) the blocks in order, stopping at a failure."""
        if not self._functions_ready:
            self._setup_functions()
        before = snapshot(self._work_dir)
        written: list[Path] = []
        outputs: list[str] = []
        exit_code = 0
        for block in code_blocks:
            exit_code, text = self._execute_one(block, written)
            outputs.append(text)
            if exit_code != 0:
                break
        files = changed_files(self._work_dir, before, set(written))
        code_file = written[0] if written else None
        return CodeResult(exit_code, "".join(outputs), files, code_file=code_file)

    def _execute_one(self, block: CodeBlock, written: list[Path]) -> tuple[int, str]:
        """Write one block to its file and run or save it: (exit code, output)."""
        lang = block.language.lower()
        sanitize_command(lang, block.code)
        code = silence_pip(block.code, lang)
        lang = "python" if lang in PYTHON_VARIANTS else lang
        if lang not in SUPPORTED_LANGUAGES:
            return 1, f"unknown language {lang}"
        try:
            path = write_text_file(self._work_dir, code_file_name(lang, code, self._work_dir), code)
        except ValueError as exc:
            return 1, f"Filename is not in the workspace: {exc}\n"
        written.append(path)
        if not self.execution_policies.get(lang, False):
            return 0, f"Code saved to {path}\n"
        program = self._program(lang)
        if program is None:
            return 1, f"no interpreter for language {lang} is installed\n"
        outcome = self._run([program, str(path.relative_to(self._work_dir))], self._work_dir)
        return outcome.exit_code, outcome.output

    def _program(self, lang: str) -> str | None:
        """The interpreter for a language (the venv's python when one is given)."""
        if lang == "python":
            # Absolute (a relative venv path is run from the work dir) but not resolved: a
            # venv's python is a symlink, and resolving it would leave the venv.
            return os.path.abspath(self._venv.env_exe) if self._venv is not None else sys.executable
        if lang in POWERSHELL_LANGUAGES:
            return shutil.which("pwsh") or shutil.which("powershell")
        if lang == "javascript":
            return shutil.which("node")
        return "bash" if lang == "bash" else "sh"

    def _run(self, argv: list[str], cwd: Path) -> RunOutcome:
        """Run argv in its own session; every process it left behind is killed after."""
        marker = new_run_marker()
        return run_command(
            argv,
            cwd=cwd,
            env={**self._env, RUN_MARKER_NAME: marker},
            timeout=self._timeout,
            max_output_bytes=self._max_output_bytes,
            supervisor=MarkerReaper(marker),
        )

    def _setup_functions(self) -> None:
        """Write the functions module, install its packages and check that it imports."""
        source = functions_module_source(self._functions)
        write_text_file(self._work_dir, f"{self._functions_module}.py", source)
        packages = required_packages(self._functions)
        if packages:
            self._pip_install(packages)
        python = self._program("python") or sys.executable
        check = self._run([python, "-c", f"import {self._functions_module}"], self._work_dir)
        if check.exit_code != 0:
            raise ValueError(f"Functions failed to load: {check.output}")
        self._functions_ready = True

    def _pip_install(self, packages: list[str]) -> None:
        python = self._program("python") or sys.executable
        logger.info("installing the functions' packages: %s", ", ".join(packages))
        try:
            done = subprocess.run(
                [python, "-m", "pip", "install", *packages],
                cwd=self._work_dir,
                env=self._env,
                capture_output=True,
                text=True,
                timeout=self._timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ValueError("Pip install timed out") from exc
        if done.returncode != 0:
            raise ValueError(f"Pip install failed. {done.stdout}, {done.stderr}")

    def restart(self) -> None:
        """Nothing to reset (every block is a new process); warns, as 0.2 does."""
        warnings.warn(
            "Restarting local command line code executor is not supported. No action is taken.",
            UserWarning,
            stacklevel=2,
        )

    def __repr__(self) -> str:
        return f"LocalCommandLineCodeExecutor(work_dir={str(self._work_dir)!r})"
