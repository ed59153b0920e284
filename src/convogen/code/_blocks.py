"""The block loop every command-line executor shares: write, run, stop at first failure."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from convogen.code._process import RunOutcome
from convogen.code._workspace import (
    EXTENSIONS,
    WorkspaceError,
    changed_files,
    directories,
    language_of,
    remove_new_files,
    snapshot,
    write_code_file,
)
from convogen.code.protocol import CodeBlock, CodeResult

# Runs one written code file: (language, path relative to the work dir) -> outcome.
BlockRunner = Callable[[str, str], RunOutcome]


def run_blocks(
    work_dir: Path,
    code_blocks: list[CodeBlock],
    runner: BlockRunner,
    owner: tuple[int, int] | None = None,
) -> CodeResult:
    """Write each block to a file and run it, collecting output and produced files."""
    before = snapshot(work_dir)
    before_dirs = directories(work_dir)
    started_ns = time.time_ns()
    written: set[Path] = set()
    outputs: list[str] = []
    exit_code = 0
    for block in code_blocks:
        language = language_of(block)
        if language not in EXTENSIONS:
            outputs.append(f"unknown language {block.language}")
            exit_code = 1
            break
        try:
            path = write_code_file(work_dir, block, owner)
        except WorkspaceError as exc:
            outputs.append(str(exc))
            exit_code = 1
            break
        written.add(path)
        outcome = runner(language, path.relative_to(work_dir.resolve()).as_posix())
        outputs.append(outcome.output)
        exit_code = outcome.exit_code
        if outcome.killed_for == "disk":
            # Whatever filled the disk goes; the code files stay for inspection.
            remove_new_files(work_dir, before, before_dirs, written, started_ns)
        if exit_code != 0:
            break
    files = changed_files(work_dir, before, written)
    return CodeResult(exit_code=exit_code, output="".join(outputs), files=files)
