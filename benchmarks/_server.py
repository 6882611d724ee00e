"""Shared helpers for the benchmark scripts: a scratch PostgreSQL database and gunicorn instances.

Not a test module: imported by benchmarks/pages.py and benchmarks/two_instances.py.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's .venv, else the interpreter running the script (e.g. a shared virtualenv).
PYTHON = ROOT / ".venv" / "bin" / "python" if (ROOT / ".venv").exists() else Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")
PG = {"host": os.environ.get("PGHOST", "127.0.0.1"), "user": os.environ.get("PGUSER", "postgres")}


def production_env(database, redis_url, **extra):
    """The environment of a production-like run on this machine (no TLS in front, so no HTTPS redirect)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://{PG['user']}@{PG['host']}:5432/{database}",
        REDIS_URL=redis_url,
        SECURE_SSL_REDIRECT="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        # The scripts send each visitor's address in X-Forwarded-For, as nginx would.
        TRUSTED_PROXY_COUNT="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def shell_json(env, code):
    """Run ``code`` in ``manage.py shell -c`` with ``env``; the JSON it prints last (the lines before are logs)."""
    output = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def recreate_database(name):
    subprocess.run(["dropdb", "-h", PG["host"], "-U", PG["user"], "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", PG["host"], "-U", PG["user"], name], check=True)


def manage(env, *args, quiet=True):
    output = subprocess.DEVNULL if quiet else None
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=output)


def prepare_site(env):
    """Migrate, load the demo content, collect static files, warm renditions: what `make serve` does."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    manage(env, "warm_renditions")


def flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def wait_until_up(port, timeout=60, healthy=True):
    """Until /sante/ answers 200 (or, with ``healthy=False``, answers at all)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante/", timeout=10) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            if not healthy:
                return
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn on port {port} did not answer /sante/ within {timeout}s")


@contextmanager
def gunicorn(env, port, workers, healthy=True):
    """Start gunicorn with config/gunicorn.py, as `make serve` does; always stop it."""
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "config/gunicorn.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(port, healthy=healthy)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    print("wrk missing: installing it from Debian (apt-get install -y wrk)", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")
