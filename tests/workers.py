"""What each pytest-xdist worker keeps to itself when `make test` spreads the suite over several processes.

Worker processes are named gw0, gw1, … in ``PYTEST_XDIST_WORKER``; a plain
``pytest`` run has no such variable and counts as the first worker.
"""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

# The machine's Redis (127.0.0.1:6379) has 16 databases. The tests that flush one take
# TEST_REDIS_DB (8 unless set) for the first worker, the next one for the second, and so on;
# the CI benchmarks run by tests use 6 and 7 (benchmarks/two_instances.py, cache_outage.py).
REDIS_DATABASES = 16
# benchmarks/two_instances.py and cache_outage.py, run by tests on the PostgreSQL pass, both collect the static
# files into static_collected/ and load the demo's images into media/ before they start gunicorn.
SERVED_BENCHMARKS = "served-benchmarks"
LOCKS = Path(__file__).resolve().parent.parent / "var" / "test-locks"


def worker_number():
    """0 outside pytest-xdist and for gw0, 1 for gw1, and so on."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def redis_url():
    """The shared Redis server's database of this worker: a test that flushes it leaves other workers' alone."""
    database = int(os.environ.get("TEST_REDIS_DB", "8")) + worker_number()
    if database >= REDIS_DATABASES:
        raise RuntimeError(
            f"Worker {worker_number()} would need Redis database {database}: run fewer workers (-n) "
            "or set a lower TEST_REDIS_DB."
        )
    return f"redis://127.0.0.1:6379/{database}"


@contextmanager
def one_at_a_time(name):
    """Hold the lock ``name`` of this checkout (a file lock): processes that share something outside the test
    database, such as the served benchmarks' static_collected/ and media/ folders, take turns."""
    LOCKS.mkdir(parents=True, exist_ok=True)
    with open(LOCKS / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
