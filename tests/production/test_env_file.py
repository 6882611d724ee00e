"""The optional .env file: manage.py, the WSGI entry point and gunicorn read it; the environment always wins."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.REGISTRATION_MIN_FILL_SECONDS)"


def run(args, env_file=None, **env):
    """Run a Python command from the project root with a bare environment (no DJANGO_SETTINGS_MODULE)."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    if env_file:
        base["ENV_FILE"] = str(env_file)
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def write_env(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(
        "# written by the test\nDJANGO_SETTINGS_MODULE=config.settings.test\nREGISTRATION_MIN_FILL_SECONDS=7\n"
    )
    return env_file


def test_manage_py_reads_the_settings_module_from_the_env_file(tmp_path):
    assert run(["manage.py", "shell", "-c", SHOW], write_env(tmp_path)) == "config.settings.test 7"


def test_the_environment_wins_over_the_file(tmp_path):
    line = run(["manage.py", "shell", "-c", SHOW], write_env(tmp_path), REGISTRATION_MIN_FILL_SECONDS="9")
    assert line == "config.settings.test 9"


def test_the_wsgi_entry_point_reads_it_too(tmp_path):
    line = run(["-c", "import config.wsgi; " + SHOW], write_env(tmp_path))
    assert line == "config.settings.test 7"


def test_the_gunicorn_settings_read_it(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("PORT=8123\nWEB_CONCURRENCY=3\n")
    line = run(["-c", "import config.gunicorn as g; print(g.bind, g.workers)"], env_file)
    assert line == "127.0.0.1:8123 3"


def test_without_a_file_nothing_changes(tmp_path):
    line = run(["manage.py", "shell", "-c", SHOW], tmp_path / "missing", DJANGO_SETTINGS_MODULE="config.settings.test")
    assert line == "config.settings.test 3"


def test_the_example_names_the_settings_module():
    lines = (ROOT / ".env.example").read_text().splitlines()
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in lines
