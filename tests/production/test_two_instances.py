"""Two gunicorn instances sharing PostgreSQL and Redis: capacity, cache purge and rate limits hold across both.

Runs benchmarks/two_instances.py (about a minute). Only when asked (TWO_INSTANCES=1), or in CI
on the PostgreSQL pass, and only when PostgreSQL and Redis answer.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workers import SERVED_BENCHMARKS, one_at_a_time

ROOT = Path(__file__).resolve().parent.parent.parent


def reachable(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wanted():
    if os.environ.get("TWO_INSTANCES") == "1":
        return True
    return os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith("postgres")


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not wanted(), reason="set TWO_INSTANCES=1 (runs in CI on the PostgreSQL pass)"),
    pytest.mark.skipif(not (reachable(5432) and reachable(6379)), reason="needs PostgreSQL and Redis on 127.0.0.1"),
]


def test_two_instances_share_capacity_cache_and_rate_limits():
    with one_at_a_time(SERVED_BENCHMARKS):
        result = subprocess.run(
            [sys.executable, "benchmarks/two_instances.py", "--capacity", "5", "--visitors", "16"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["registrations"] == {"confirmed": 5, "waitlisted": 11}
    assert summary["checks"] == {
        "event_page_cached_before": True,
        "seats_left_fresh_on_both": True,
        "all_submissions_accepted": True,
        "exactly_capacity_confirmed": True,
        "others_waitlisted": True,
        "ip_limit_shared": True,
        "email_limit_shared": True,
    }
