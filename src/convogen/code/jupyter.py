"""Running python blocks in a stateful Jupyter (ipykernel) kernel on the host."""

from __future__ import annotations

import base64
import hashlib
import logging
import queue
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from convogen.code._lifecycle import ReleasesOnClose
from convogen.code._process import TIMEOUT_EXIT_CODE, TIMEOUT_NOTE, TRUNCATION_NOTE
from convogen.code._validate import check_positive_int, check_timeout
from convogen.code._workspace import (
    WorkspaceError,
    changed_files,
    filename_from_code,
    language_of,
    snapshot,
    write_code_file,
)
from convogen.code.host_env import check_pass_env, code_env
from convogen.code.host_reaper import RUN_MARKER_NAME, kill_marked, new_run_marker
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.code.workdir import check_work_dir
from convogen.errors import CodeExecutionError

logger = logging.getLogger("convogen.code")

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# How long an interrupted kernel may take to report idle before it is restarted instead.
_INTERRUPT_GRACE_S = 5.0


def _shutdown(manager: Any, client: Any, ipc_dir: Path, marker: str) -> None:
    """Stop channels and kernel, kill what its cells left running, remove the sockets."""
    try:
        client.stop_channels()
        if manager.is_alive():
            manager.shutdown_kernel(now=True)
    finally:
        kill_marked(marker)
        shutil.rmtree(ipc_dir, ignore_errors=True)


class JupyterCodeExecutor(ReleasesOnClose):
    """Runs python blocks in one ipykernel kernel that keeps state between calls (unsandboxed)."""

    def __init__(
        self,
        timeout: float = 60,
        work_dir: str | Path = "coding",
        kernel_name: str = "python3",
        startup_timeout: float = 60,
        max_output_bytes: int = 64 * 1024,
        pass_env: Iterable[str] = (),
    ) -> None:
        self._timeout = check_timeout(timeout)
        kernel_env = code_env(check_pass_env(pass_env))
        self._startup_timeout = check_timeout(startup_timeout, "startup_timeout")
        self._max_output_bytes = check_positive_int("max_output_bytes", max_output_bytes)
        self._work_dir = check_work_dir(work_dir)
        self._work_dir.mkdir(parents=True, exist_ok=True)
        try:
            # Imported here so that `import convogen.code` never pays for jupyter_client.
            from jupyter_client.manager import KernelManager
        except ImportError as exc:
            raise CodeExecutionError(
                "JupyterCodeExecutor needs jupyter_client and ipykernel: "
                "pip install 'convogen[jupyter]'"
            ) from exc
        logger.warning(
            "JupyterCodeExecutor runs code in a kernel on this host without a sandbox "
            "(work_dir=%s)",
            self._work_dir,
        )
        # IPC sockets in a private 0700 directory instead of TCP ports on localhost: other
        # local users (and sandboxed code sharing the host network) cannot reach the kernel.
        self._ipc_dir = Path(tempfile.mkdtemp(prefix="convogen-kernel-"))
        self._manager = KernelManager(
            kernel_name=kernel_name, transport="ipc", ip=str(self._ipc_dir / "kernel")
        )
        try:
            # Only allow-listed variables reach the kernel (see host_env); the marker lets
            # close() find processes that cells started in a new session.
            self._marker = new_run_marker()
            kernel_env[RUN_MARKER_NAME] = self._marker
            self._manager.start_kernel(cwd=str(self._work_dir), env=kernel_env)
        except Exception as exc:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            raise CodeExecutionError(
                f"cannot start Jupyter kernel kernel_name={kernel_name!r}: {exc}"
            ) from exc
        self._client = self._manager.client()
        self._client.start_channels()
        self._finalizer = weakref.finalize(
            self, _shutdown, self._manager, self._client, self._ipc_dir, self._marker
        )
        self._wait_ready()

    @property
    def work_dir(self) -> Path:
        """The kernel's working directory, where produced images are saved."""
        return self._work_dir

    def _wait_ready(self) -> None:
        try:
            self._client.wait_for_ready(timeout=self._startup_timeout)
        except RuntimeError as exc:
            self.stop()
            raise CodeExecutionError(f"Jupyter kernel did not become ready: {exc}") from exc

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run python blocks in the kernel in order, stopping at the first failure."""
        if not self._finalizer.alive:
            raise CodeExecutionError("JupyterCodeExecutor was stopped; create a new one")
        before = snapshot(self._work_dir)
        written: set[Path] = set()
        images: list[Path] = []
        outputs: list[str] = []
        exit_code = 0
        for block in code_blocks:
            language = language_of(block)
            if language != "python":
                outputs.append(
                    f"unknown language {block.language}: JupyterCodeExecutor runs python "
                    "blocks only (use `!command` lines inside a python block for shell)"
                )
                exit_code = 1
                break
            if filename_from_code(block.code) is not None:
                try:
                    written.add(write_code_file(self._work_dir, block, None))
                except WorkspaceError as exc:
                    outputs.append(str(exc))
                    exit_code = 1
                    break
            exit_code, text = self._run_cell(block.code, images)
            outputs.append(text)
            if exit_code != 0:
                break
        output = "".join(outputs)
        if len(output.encode()) > self._max_output_bytes:
            cut = output.encode()[: self._max_output_bytes].decode("utf-8", errors="ignore")
            output = cut + TRUNCATION_NOTE.format(limit=self._max_output_bytes)
        files = changed_files(self._work_dir, before, written)
        for image in images:
            if image not in files:
                files.append(image)
        return CodeResult(exit_code=exit_code, output=output, files=files)

    def _run_cell(self, code: str, images: list[Path]) -> tuple[int, str]:
        """Execute one cell; returns (exit code, output text)."""
        msg_id = self._client.execute(code, store_history=True, allow_stdin=False)
        deadline = time.monotonic() + self._timeout
        parts: list[str] = []
        failed = False
        while True:
            remaining = deadline - time.monotonic()
            try:
                msg = self._client.get_iopub_msg(timeout=max(remaining, 0.01))
            except queue.Empty:
                self._interrupt(msg_id)
                self._kill_strays()
                parts.append(TIMEOUT_NOTE.format(timeout=self._timeout))
                return TIMEOUT_EXIT_CODE, "".join(parts)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            content = msg["content"]
            if kind == "stream":
                parts.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                parts.append(self._render_data(content.get("data", {}), images))
            elif kind == "error":
                failed = True
                parts.append(_ANSI_RE.sub("", "\n".join(content.get("traceback", []))) + "\n")
            elif kind == "status" and content.get("execution_state") == "idle":
                return (1 if failed else 0), "".join(parts)

    def _render_data(self, data: dict[str, Any], images: list[Path]) -> str:
        """Save image/png payloads as files; return the text to show for the output."""
        if "image/png" in data:
            raw = base64.b64decode(data["image/png"])
            name = f"image_{hashlib.sha256(raw).hexdigest()[:12]}.png"
            path = self._work_dir / name
            path.write_bytes(raw)
            images.append(path)
            return f"[image saved to {name}]\n"
        text = data.get("text/plain")
        return f"{text}\n" if isinstance(text, str) else ""

    def _interrupt(self, msg_id: str) -> None:
        """Interrupt a cell that ran past the timeout; restart the kernel if that fails."""
        self._manager.interrupt_kernel()
        deadline = time.monotonic() + _INTERRUPT_GRACE_S
        while time.monotonic() < deadline:
            try:
                msg = self._client.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            parent = msg.get("parent_header", {}).get("msg_id")
            state = msg["content"].get("execution_state")
            if parent == msg_id and msg["msg_type"] == "status" and state == "idle":
                return
        logger.warning("Jupyter kernel ignored the interrupt; restarting it")
        self.restart()

    def _kill_strays(self) -> None:
        """Kill what a timed-out cell started (subprocesses, daemons), sparing the kernel."""
        from jupyter_client.provisioning.local_provisioner import LocalProvisioner

        provisioner = self._manager.provisioner
        kernel_pid = provisioner.pid if isinstance(provisioner, LocalProvisioner) else None
        kill_marked(self._marker, frozenset({kernel_pid} if kernel_pid else ()))

    def restart(self) -> None:
        """Restart the kernel, dropping every variable and import (and its processes)."""
        self._manager.restart_kernel(now=True)
        self._kill_strays()
        self._wait_ready()
