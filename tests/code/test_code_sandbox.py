"""The bubblewrap sandbox: its view of the system, its options and its failure modes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from convogen.code import CodeBlock, SandboxCodeExecutor
from convogen.code import sandbox as sandbox_module
from convogen.errors import ConfigError, SandboxUnavailableError


def run_json(executor: SandboxCodeExecutor, code: str) -> object:
    """Run python that prints one JSON document and decode it."""
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_identity_cwd_and_home(sandbox: SandboxCodeExecutor) -> None:
    code = (
        "import json, os\n"
        "print(json.dumps([os.getuid(), os.getgid(), os.getcwd(), os.environ['HOME'],"
        " os.path.expanduser('~')]))"
    )
    assert run_json(sandbox, code) == [65534, 65534, "/workspace", "/workspace", "/workspace"]


def test_environment_is_minimal(sandbox: SandboxCodeExecutor) -> None:
    env = run_json(sandbox, "import json, os; print(json.dumps(sorted(os.environ)))")
    allowed = {
        "PATH",
        "HOME",
        "LANG",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "TMPDIR",
        "PWD",
    }
    assert isinstance(env, list) and set(env) <= allowed


def test_filesystem_view_is_private(sandbox: SandboxCodeExecutor, tmp_path: Path) -> None:
    code = (
        "import json, os\n"
        "print(json.dumps({'root': sorted(os.listdir('/')), 'tmp': os.listdir('/tmp'),"
        " 'host_tmp': os.path.exists(" + repr(str(tmp_path)) + "),"
        " 'etc_shadow': os.path.exists('/etc/shadow'), 'ssh': os.path.exists('/etc/ssh'),"
        " 'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}))"
    )
    view = run_json(sandbox, code)
    assert isinstance(view, dict)
    # /tmp is a fresh tmpfs; the only entries allowed are the mount points of the Python
    # installation itself when it lives under /tmp (as in a CI checkout there).
    python_dirs = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.executable)}
    allowed = {p.parts[2] for p in python_dirs if p.parts[:2] == ("/", "tmp") and len(p.parts) > 2}
    assert set(view["tmp"]) <= allowed and view["host_tmp"] is False
    assert view["etc_shadow"] is False and view["ssh"] is False
    assert "home" not in view["root"] and "workspace" in view["root"]
    assert max(view["pids"]) < 10  # its own PID namespace: only a handful of processes


def test_system_and_python_are_read_only(sandbox: SandboxCodeExecutor) -> None:
    target = Path(sys.prefix) / "convogen-ro-canary.txt"
    code = (
        "import sys\n"
        "for path in ['/usr/convogen-canary', " + repr(str(target)) + "]:\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        print('WROTE', path)\n"
        "    except OSError as exc:\n"
        "        print('denied', type(exc).__name__)\n"
    )
    try:
        result = sandbox.execute_code_blocks([CodeBlock(code, "python")])
        assert "WROTE" not in result.output
        assert result.output.count("denied") == 2
    finally:
        target.unlink(missing_ok=True)
    assert not target.exists() and not Path("/usr/convogen-canary").exists()


def test_only_loopback_without_network(sandbox: SandboxCodeExecutor) -> None:
    code = (
        "import json, socket\n"
        "routes = open('/proc/net/route').read().splitlines()[1:]\n"
        "print(json.dumps([[n for _, n in socket.if_nameindex()], routes]))"
    )
    assert run_json(sandbox, code) == [["lo"], []]


def test_network_option_shares_the_host_network(require_sandbox: None, work_dir: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        executor = SandboxCodeExecutor(timeout=5, work_dir=work_dir, network=True)
        code = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3).close()"
        result = executor.execute_code_blocks([CodeBlock(code + "\nprint('connected')", "python")])
        executor.close()
    assert result.exit_code == 0 and "connected" in result.output


def test_extra_mounts(require_sandbox: None, work_dir: Path, tmp_path: Path) -> None:
    ro = tmp_path / "data"
    ro.mkdir()
    (ro / "in.txt").write_text("input data")
    rw = tmp_path / "results"
    rw.mkdir()
    rw.chmod(0o777)  # as root, sandboxed code runs as host uid 65534
    executor = SandboxCodeExecutor(
        timeout=5, work_dir=work_dir, extra_ro_mounts=[ro], extra_rw_mounts=[str(rw)]
    )
    code = (
        f"print(open('{ro}/in.txt').read())\n"
        f"open('{rw}/out.txt', 'w').write('result')\n"
        f"try:\n    open('{ro}/new.txt', 'w')\nexcept OSError:\n    print('ro denied')\n"
    )
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    executor.close()
    assert result.exit_code == 0, result.output
    assert "input data" in result.output and "ro denied" in result.output
    assert (rw / "out.txt").read_text() == "result"
    assert not (ro / "new.txt").exists()


def test_output_is_capped(require_sandbox: None, work_dir: Path) -> None:
    with SandboxCodeExecutor(timeout=5, work_dir=work_dir, max_output_bytes=1000) as executor:
        result = executor.execute_code_blocks([CodeBlock("print('y' * 5000)", "python")])
        private = executor._private_dir
    assert not private.exists()  # closed by the context manager
    assert result.exit_code == 0
    assert result.output.startswith("y" * 1000)
    assert "y" * 1001 not in result.output
    assert "output truncated" in result.output


@pytest.mark.skipif(os.geteuid() != 0, reason="the uid switch happens only for a root host")
def test_root_host_runs_code_as_unprivileged_host_uid(sandbox: SandboxCodeExecutor) -> None:
    result = sandbox.execute_code_blocks([CodeBlock("open('made.txt', 'w').write('1')", "python")])
    assert result.exit_code == 0
    assert (sandbox.work_dir / "made.txt").stat().st_uid == 65534


def test_missing_bwrap_raises_and_runs_nothing(work_dir: Path) -> None:
    with pytest.raises(SandboxUnavailableError) as info:
        SandboxCodeExecutor(work_dir=work_dir / "never", bwrap_path="/nonexistent/bwrap")
    message = str(info.value)
    assert "apt-get install -y bubblewrap" in message
    assert "/nonexistent/bwrap" in message
    assert "never falls back" in message
    assert list(work_dir.iterdir()) == []  # not even the work dir was created


def test_bwrap_that_cannot_start_raises(work_dir: Path) -> None:
    with pytest.raises(SandboxUnavailableError, match="cannot start"):
        SandboxCodeExecutor(work_dir=work_dir, bwrap_path="/bin/false")


def test_bwrap_not_on_path_raises(work_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SandboxUnavailableError, match="apt-get install -y bubblewrap"):
        SandboxCodeExecutor(work_dir=work_dir)


def test_probe_runs_once_per_bwrap(
    require_sandbox: None, work_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = SandboxCodeExecutor._run_probe

    def counting(self: SandboxCodeExecutor) -> str | None:
        calls.append("probe")
        return original(self)

    monkeypatch.setattr(SandboxCodeExecutor, "_run_probe", counting)
    monkeypatch.setattr(sandbox_module, "_probe_cache", {})
    for _ in range(3):
        SandboxCodeExecutor(work_dir=work_dir).close()
    assert calls == ["probe"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": "10"}, "timeout"),
        ({"memory_mb": -1}, "memory_mb"),
        ({"max_processes": True}, "max_processes"),
        ({"network": "yes"}, "network"),
        ({"extra_ro_mounts": ["relative/dir"]}, "extra_ro_mounts"),
        ({"extra_rw_mounts": "/tmp"}, "extra_rw_mounts"),
        ({"extra_rw_mounts": ["/"]}, "extra_rw_mounts"),
        ({"extra_env": {"OPENAI_API_KEY": "sk-x"}}, "extra_env"),
    ],
)
def test_bad_options_name_the_field(work_dir: Path, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as info:
        SandboxCodeExecutor(work_dir=work_dir, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert field in str(info.value)


def test_extra_env_reaches_the_code(require_sandbox: None, work_dir: Path) -> None:
    executor = SandboxCodeExecutor(work_dir=work_dir, extra_env={"MPLBACKEND": "Agg"})
    result = executor.execute_code_blocks([CodeBlock("echo $MPLBACKEND", "sh")])
    executor.close()
    assert result.output == "Agg\n"


def test_package_import_stays_light() -> None:
    code = (
        "import sys, convogen.code\n"
        "heavy = [m for m in ('jupyter_client', 'docker', 'zmq') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_directories_made_for_code_files_stay_writable(sandbox: SandboxCodeExecutor) -> None:
    code = "# filename: deep/er/mod.py\nopen('deep/er/out.txt', 'w').write('ok')"
    result = sandbox.execute_code_blocks([CodeBlock(code, "python")])
    assert result.exit_code == 0, result.output
    assert result.files == [sandbox.work_dir / "deep" / "er" / "out.txt"]


@pytest.mark.parametrize(
    "bad",
    [Path("/"), Path(sys.prefix), Path(sys.prefix).parent, Path.home()],
    ids=["root", "prefix", "above-prefix", "home"],
)
def test_work_dir_must_not_expose_protected_dirs(bad: Path) -> None:
    with pytest.raises(ConfigError) as info:
        SandboxCodeExecutor(work_dir=bad)
    assert info.value.field == "work_dir" and str(bad.resolve()) in str(info.value)


@pytest.mark.skipif(os.geteuid() != 0, reason="staging happens only for a root host")
def test_only_unreachable_paths_are_staged(require_sandbox: None, tmp_path: Path) -> None:
    import tempfile

    from convogen.code._bwrap import build_argv, traversable

    with tempfile.TemporaryDirectory(dir="/tmp") as open_dir:
        Path(open_dir).chmod(0o755)
        executor = SandboxCodeExecutor(work_dir=Path(open_dir) / "work")
        argv = build_argv(executor._plan(), ["true"])
        work_source = argv[argv.index("/workspace") - 1]
        assert work_source == str(Path(open_dir).resolve() / "work")  # reachable: bound directly
        hidden = [p for p in argv if "/stage/" in p]
        assert bool(hidden) == (not traversable(Path(sys.base_prefix), (65534, 65534)))
        result = executor.execute_code_blocks([CodeBlock("print('mixed ok')", "python")])
        executor.close()
    assert result.output == "mixed ok\n"


def test_existing_work_dir_keeps_its_owner(require_sandbox: None, work_dir: Path) -> None:
    before = os.stat(work_dir)
    executor = SandboxCodeExecutor(work_dir=work_dir)
    result = executor.execute_code_blocks([CodeBlock("open('made.txt', 'w').write('x')", "python")])
    executor.close()
    after = os.stat(work_dir)
    assert result.exit_code == 0 and (work_dir / "made.txt").read_text() == "x"
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


@pytest.mark.parametrize("bad", ["/etc", "/usr/local/bin", "/var/spool/cron", "~/.ssh"])
def test_system_and_secret_work_dirs_are_refused(
    bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="refused as a work dir") as info:
        SandboxCodeExecutor(work_dir=bad)
    assert info.value.field == "work_dir"


def test_tilde_in_the_work_dir_means_home(
    require_sandbox: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    executor = SandboxCodeExecutor(work_dir="~/coding")
    executor.close()
    assert executor.work_dir == home.resolve() / "coding"
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize("field", ["tmp_mb", "disk_mb"])
def test_new_totals_must_be_positive(work_dir: Path, field: str) -> None:
    with pytest.raises(ConfigError) as info:
        SandboxCodeExecutor(work_dir=work_dir, **{field: 0})  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_private_tmpdir_does_not_stop_the_sandbox(
    require_sandbox: None, work_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "private-tmp"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr("tempfile.tempdir", None)  # re-read TMPDIR
    executor = SandboxCodeExecutor(work_dir=work_dir)
    try:
        result = executor.execute_code_blocks([CodeBlock(language="python", code="print(6 * 7)")])
    finally:
        executor.close()
    assert result.exit_code == 0
    assert result.output.strip() == "42"


def test_private_dir_is_searchable_by_the_sandbox_user_when_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from convogen.code._bwrap import make_private_dir

    private = tmp_path / "private-tmp"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr("tempfile.tempdir", None)
    made = make_private_dir(reachable_by_others=True)
    try:
        assert private not in made.parents
    finally:
        made.rmdir()
