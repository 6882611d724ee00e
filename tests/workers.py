"""What each pytest-xdist worker keeps to itself when `make test` spreads the suite over several processes.

Worker processes are named gw0, gw1, … in ``PYTEST_XDIST_WORKER``; a plain
``pytest`` run has no such variable and counts as the first worker.
"""

import os

# The machine's Redis (127.0.0.1:6379) has 16 databases. The tests that flush one take
# TEST_REDIS_DB (8 unless set) for the first worker, the next one for the second, and so on;
# the CI benchmarks run by tests use 6 and 7 (benchmarks/two_instances.py, cache_outage.py).
REDIS_DATABASES = 16


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
