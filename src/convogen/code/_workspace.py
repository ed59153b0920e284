"""Work-dir chores shared by the executors: code files, file names, produced-file tracking."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from pathlib import Path

from convogen.code.extract import normalize_language
from convogen.code.protocol import CodeBlock

# File extension of the code file written for each runnable language.
EXTENSIONS: dict[str, str] = {"python": "py", "sh": "sh"}

_FILENAME_RE = re.compile(r"^\s*(?:#|//)\s*filename:\s*(?P<name>\S+)\s*$", re.IGNORECASE)

# Scanning a work dir that hostile code filled with millions of files must stay bounded.
MAX_SCANNED_FILES = 20_000

Snapshot = dict[str, tuple[int, int]]


class WorkspaceError(Exception):
    """A code block asked for something the work dir must not allow (e.g. a path escape)."""


def language_of(block: CodeBlock) -> str:
    """The canonical language of a block."""
    return normalize_language(block.language)


def filename_from_code(code: str) -> str | None:
    """The name given by a '# filename: x.py' comment on the first line, if any."""
    lines = code.lstrip("\n").splitlines()
    if not lines:
        return None
    match = _FILENAME_RE.match(lines[0])
    return match.group("name") if match else None


def resolve_inside(work_dir: Path, name: str) -> Path:
    """The absolute path of name inside work_dir; raises WorkspaceError when it escapes."""
    if not name or Path(name).is_absolute():
        raise WorkspaceError(f"filename {name!r} must be a relative path inside the work dir")
    root = work_dir.resolve()
    candidate = root / name
    # Resolve the parent only: the file itself may be a symlink planted by earlier code,
    # which write_code_file removes instead of following.
    parent = candidate.parent.resolve()
    if parent != root and root not in parent.parents:
        raise WorkspaceError(f"filename {name!r} escapes the work dir {str(root)!r}")
    return parent / candidate.name


def write_code_file(work_dir: Path, block: CodeBlock, owner: tuple[int, int] | None) -> Path:
    """Write the block's code to its file in work_dir and return the path."""
    language = language_of(block)
    name = filename_from_code(block.code)
    if name is None:
        digest = hashlib.sha256(block.code.encode()).hexdigest()[:12]
        name = f"tmp_code_{digest}.{EXTENSIONS.get(language, 'txt')}"
    path = resolve_inside(work_dir, name)
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        # Directories made for the code file must stay writable by the sandboxed uid.
        for directory in missing:
            os.chown(directory, owner[0], owner[1], follow_symlinks=False)
    _clear_non_regular(path)
    # O_NOFOLLOW and O_NONBLOCK: should anything but a regular file reappear there, the
    # open fails instead of following a link or blocking on a FIFO.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_NONBLOCK
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(block.code if block.code.endswith("\n") else block.code + "\n")
    if owner is not None:
        os.chown(path, owner[0], owner[1], follow_symlinks=False)
    return path


def _clear_non_regular(path: Path) -> None:
    """Remove a symlink, FIFO, socket or device that earlier code left where a code file goes.

    Sandboxed code controls the work dir's content; a planted symlink could redirect the
    host-side write to a host file and a FIFO could block it forever.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        raise WorkspaceError(f"filename {path.name!r} is a directory in the work dir")
    path.unlink()


def snapshot(work_dir: Path) -> Snapshot:
    """Regular files below work_dir with their (mtime_ns, size); symlinks are ignored."""
    found: Snapshot = {}
    for dirpath, dirnames, filenames in os.walk(work_dir, followlinks=False):
        dirnames[:] = [d for d in dirnames if d != ".ipynb_checkpoints"]
        for filename in filenames:
            full = os.path.join(dirpath, filename)
            try:
                info = os.lstat(full)
            except OSError:
                continue
            if not os.path.isfile(full) or os.path.islink(full):
                continue
            found[os.path.relpath(full, work_dir)] = (info.st_mtime_ns, info.st_size)
            if len(found) >= MAX_SCANNED_FILES:
                return found
    return found


def changed_files(work_dir: Path, before: Snapshot, exclude: set[Path]) -> list[Path]:
    """Files created or modified since the snapshot, sorted, minus the excluded code files."""
    after = snapshot(work_dir)
    excluded = {p.resolve() for p in exclude}
    result: list[Path] = []
    for rel, stamp in sorted(after.items()):
        if before.get(rel) == stamp:
            continue
        path = (work_dir / rel).resolve()
        if path not in excluded:
            result.append(path)
    return result


def directories(work_dir: Path) -> set[str] | None:
    """Every directory below work_dir (relative paths); None when there are too many."""
    found: set[str] = set()
    for dirpath, _, _ in os.walk(work_dir, followlinks=False):
        found.add(os.path.relpath(dirpath, work_dir))
        if len(found) >= MAX_SCANNED_FILES:
            return None
    return found


def remove_new_files(
    work_dir: Path, before: Snapshot, before_dirs: set[str] | None, keep: set[Path], since_ns: int
) -> None:
    """Delete what appeared in work_dir since the snapshot (files, then new emptied dirs).

    Only entries changed since since_ns (ctime, which code cannot set back) and absent from
    the snapshot go; a truncated snapshot cannot tell old from new, so nothing is removed.
    """
    if len(before) >= MAX_SCANNED_FILES or before_dirs is None:
        return
    kept = {p.resolve() for p in keep}
    for dirpath, dirnames, filenames in os.walk(work_dir, topdown=False, followlinks=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, work_dir)
            if rel in before or Path(full).resolve() in kept or not _newer(full, since_ns):
                continue
            with contextlib.suppress(OSError):
                os.unlink(full)
        if os.path.relpath(dirpath, work_dir) not in before_dirs:
            with contextlib.suppress(OSError):
                os.rmdir(dirpath)  # only succeeds when empty


def _newer(path: str, since_ns: int) -> bool:
    try:
        return os.lstat(path).st_ctime_ns >= since_ns
    except OSError:
        return False
