"""Running code blocks directly on the host: no isolation, only when asked for by name."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from convogen.code._blocks import run_blocks
from convogen.code._process import RunOutcome, run_command
from convogen.code._validate import check_positive_int, check_timeout, without_secrets
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.errors import ConfigError

logger = logging.getLogger("convogen.code")


class LocalCommandLineCodeExecutor:
    """Runs code blocks as host subprocesses in work_dir (UNSAFE: full access to the host)."""

    def __init__(
        self,
        timeout: float = 60,
        work_dir: str | Path = "coding",
        max_output_bytes: int = 64 * 1024,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._timeout = check_timeout(timeout)
        self._max_output_bytes = check_positive_int("max_output_bytes", max_output_bytes)
        if env is not None and not isinstance(env, Mapping):
            raise ConfigError("env", env, "must be a mapping of str to str")
        # The host environment is inherited (this is the "run it like I would" escape hatch)
        # minus credentials: model-written code that prints os.environ would otherwise send
        # API keys back into the conversation. An explicit env is used as given.
        self._env = without_secrets(os.environ) if env is None else dict(env)
        self._env["PYTHONUNBUFFERED"] = "1"
        self._work_dir = Path(work_dir).resolve()
        self._work_dir.mkdir(parents=True, exist_ok=True)
        logger.warning(
            "LocalCommandLineCodeExecutor runs model-written code directly on this host "
            "(work_dir=%s) with your user's full permissions; prefer the default sandbox",
            self._work_dir,
        )

    @property
    def work_dir(self) -> Path:
        """Where code files are written and run."""
        return self._work_dir

    @property
    def timeout(self) -> float:
        """Wall-clock seconds one block may run."""
        return self._timeout

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run the blocks in order on the host, stopping at the first failure."""
        self._work_dir.mkdir(parents=True, exist_ok=True)
        return run_blocks(self._work_dir, code_blocks, self._run_one)

    def _run_one(self, language: str, rel_path: str) -> RunOutcome:
        program = sys.executable if language == "python" else "sh"
        return run_command(
            [program, rel_path],
            cwd=self._work_dir,
            env=self._env,
            timeout=self._timeout,
            max_output_bytes=self._max_output_bytes,
        )

    def restart(self) -> None:
        """Nothing to reset: every block is a new process."""
