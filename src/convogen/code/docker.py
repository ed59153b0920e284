"""Running code blocks in a long-lived Docker container through the docker CLI."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
import weakref
from pathlib import Path

from convogen.code._blocks import run_blocks
from convogen.code._lifecycle import ReleasesOnClose
from convogen.code._process import RunOutcome, run_command
from convogen.code._validate import check_positive_int, check_timeout
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.code.workdir import check_work_dir
from convogen.errors import CodeExecutionError, ConfigError

DEFAULT_IMAGE = "python:3-slim"
CONTAINER_WORK_DIR = "/workspace"
_PROBE_TIMEOUT_S = 15


def _docker(docker: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run one docker CLI command, capturing its output."""
    return subprocess.run(
        [docker, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def docker_problem(docker_path: str | None = None) -> str | None:
    """Why no Docker engine can be used right now, or None when one answers."""
    docker = docker_path or shutil.which("docker")
    if not docker:
        return "the docker CLI is not installed"
    if not os.access(docker, os.X_OK):
        return f"the docker CLI was not found at docker_path={docker!r}"
    try:
        probe = _docker(
            docker, "version", "--format", "{{.Server.Version}}", timeout=_PROBE_TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`docker version` failed: {exc}"
    if probe.returncode != 0 or not probe.stdout.strip():
        detail = (probe.stderr or probe.stdout).strip().splitlines()
        return f"the Docker engine is not reachable ({detail[-1] if detail else 'no answer'})"
    return None


def _remove(docker: str, name: str) -> None:
    """Force-remove the container; used by the finalizer too."""
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        _docker(docker, "rm", "-f", name, timeout=30)


class DockerCommandLineCodeExecutor(ReleasesOnClose):
    """Runs code blocks inside one Docker container with work_dir mounted at /workspace."""

    def __init__(
        self,
        image: str = DEFAULT_IMAGE,
        timeout: float = 60,
        work_dir: str | Path = "coding",
        network: bool = False,
        max_output_bytes: int = 64 * 1024,
        docker_path: str | None = None,
    ) -> None:
        if not isinstance(image, str) or not image:
            raise ConfigError("image", image, "must be a non-empty image name")
        self._image = image
        self._timeout = check_timeout(timeout)
        self._max_output_bytes = check_positive_int("max_output_bytes", max_output_bytes)
        self._network = network
        problem = docker_problem(docker_path)
        if problem is not None:
            raise CodeExecutionError(
                f"DockerCommandLineCodeExecutor unavailable: {problem}; start a Docker "
                "engine or use the default sandbox executor (executor='sandbox')"
            )
        self._docker = docker_path or shutil.which("docker") or "docker"
        self._work_dir = check_work_dir(work_dir)
        self._work_dir.mkdir(parents=True, exist_ok=True)
        self._name = f"convogen-exec-{uuid.uuid4().hex[:12]}"
        self._finalizer = weakref.finalize(self, _remove, self._docker, self._name)
        self._start()

    @property
    def work_dir(self) -> Path:
        """The host directory mounted into the container."""
        return self._work_dir

    @property
    def timeout(self) -> float:
        """Wall-clock seconds one block may run."""
        return self._timeout

    @property
    def image(self) -> str:
        """The image the container runs."""
        return self._image

    def _start(self) -> None:
        args = ["run", "-d", "--name", self._name, "--init"]
        if not self._network:
            args += ["--network", "none"]
        args += ["-v", f"{self._work_dir}:{CONTAINER_WORK_DIR}", "-w", CONTAINER_WORK_DIR]
        args += [self._image, "sleep", "infinity"]
        started = _docker(self._docker, *args, timeout=300)
        if started.returncode != 0:
            raise CodeExecutionError(
                f"cannot start container from image={self._image!r}: {started.stderr.strip()}"
            )

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run the blocks in order inside the container, stopping at the first failure."""
        return run_blocks(self._work_dir, code_blocks, self._run_one)

    def _run_one(self, language: str, rel_path: str) -> RunOutcome:
        program = "python" if language == "python" else "sh"
        outcome = run_command(
            [self._docker, "exec", self._name, program, rel_path],
            cwd=self._work_dir,
            env={"PATH": "/usr/local/bin:/usr/bin:/bin"},
            timeout=self._timeout,
            max_output_bytes=self._max_output_bytes,
        )
        if outcome.timed_out:
            # Killing the CLI does not stop the process inside: restart the container.
            self.restart()
        return outcome

    def restart(self) -> None:
        """Restart the container, killing everything running in it."""
        _docker(self._docker, "restart", "-t", "0", self._name, timeout=120)
