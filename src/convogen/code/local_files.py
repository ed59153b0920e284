"""Classic command-line executor chores: languages, file names, dangerous-command checks."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from convogen.code._workspace import WorkspaceError, resolve_inside

SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "bash",
    "shell",
    "sh",
    "pwsh",
    "powershell",
    "ps1",
    "python",
    "javascript",
    "html",
    "css",
)
# Which languages are run (True) or only saved to a file (False) unless told otherwise.
DEFAULT_EXECUTION_POLICY: dict[str, bool] = {
    **{lang: True for lang in ("bash", "shell", "sh", "pwsh", "powershell", "ps1", "python")},
    **{lang: False for lang in ("javascript", "html", "css")},
}
PYTHON_VARIANTS: tuple[str, ...] = ("python", "Python", "py")
SHELL_LANGUAGES: tuple[str, ...] = ("bash", "shell", "sh")
POWERSHELL_LANGUAGES: tuple[str, ...] = ("pwsh", "powershell", "ps1")

# A first line naming the file: HTML, C-style block, line and hash comments.
filename_patterns: list[re.Pattern[str]] = [
    re.compile(r"^<!-- (filename:)?(.+?) -->", re.DOTALL),
    re.compile(r"^/\* (filename:)?(.+?) \*/", re.DOTALL),
    re.compile(r"^// (filename:)?(.+?)$", re.DOTALL),
    re.compile(r"^# (filename:)?(.+?)$", re.DOTALL),
]

_DANGEROUS: tuple[tuple[str, str], ...] = (
    (r"\brm\s+-rf\b", "Use of 'rm -rf' command is not allowed."),
    (r"\bmv\b.*?\s+/dev/null", "Moving files to /dev/null is not allowed."),
    (r"\bdd\b", "Use of 'dd' command is not allowed."),
    (r">\s*/dev/sd[a-z][1-9]?", "Overwriting disk blocks directly is not allowed."),
    (r":\(\)\{\s*:\|\:&\s*\};:", "Fork bombs are not allowed."),
)


def sanitize_command(lang: str, code: str) -> None:
    """Raise ValueError when shell code contains a known self-destructive command."""
    if lang not in SHELL_LANGUAGES:
        return
    for pattern, message in _DANGEROUS:
        if re.search(pattern, code):
            raise ValueError(f"Potentially dangerous command detected: {message}")


def silence_pip(code: str, lang: str) -> str:
    """Add -qqq to `pip install` lines so install chatter stays out of the conversation."""
    if lang == "python":
        regex = re.compile(r"^! ?pip install")
    elif lang in SHELL_LANGUAGES or lang in POWERSHELL_LANGUAGES:
        regex = re.compile(r"^pip install")
    else:
        return code
    lines = code.split("\n")
    for i, line in enumerate(lines):
        match = regex.search(line)
        if match is not None and "-qqq" not in line:
            lines[i] = line.replace(match.group(0), match.group(0) + " -qqq", 1)
    return "\n".join(lines)


def filename_in_code(code: str, work_dir: Path) -> str | None:
    """The file name a first-line comment asks for, relative to work_dir; ValueError if outside."""
    first = code.split("\n")[0].strip()
    for pattern in filename_patterns:
        match = pattern.match(first)
        if match is None:
            continue
        name = match.group(2).strip()
        path = Path(name) if Path(name).is_absolute() else work_dir / name
        try:
            return str(path.resolve().relative_to(work_dir.resolve()))
        except ValueError as exc:
            raise ValueError(f"filename {name!r} is not inside the work dir") from exc
    return None


def code_file_name(lang: str, code: str, work_dir: Path) -> str:
    """The file a block is written to: the one it names, else tmp_code_<hash>.<ext>."""
    named = filename_in_code(code, work_dir)
    if named is not None:
        return named
    ext = "py" if lang == "python" else lang
    return f"tmp_code_{hashlib.md5(code.encode()).hexdigest()}.{ext}"


def write_text_file(work_dir: Path, name: str, text: str) -> Path:
    """Write text to name inside work_dir, never following a planted link; return the path."""
    try:
        path = resolve_inside(work_dir, name)
    except WorkspaceError as exc:
        raise ValueError(str(exc)) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            path.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
