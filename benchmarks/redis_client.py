#!/usr/bin/env python
"""Cost of one cache call through Django's Redis client and through ours (one client object reused).

Usage: .venv/bin/python benchmarks/redis_client.py [--calls 20000] [--url redis://127.0.0.1:6379/13]

Both make the same command on the same connection pool, so the difference is
the ``redis.Redis`` object Django builds for every command. Prints
microseconds per ``get`` for each, best of three rounds.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.cache.backends.redis import RedisCacheClient  # noqa: E402

from config.cache_backend import ReusedClientRedisCacheClient  # noqa: E402


def per_call(client, calls):
    client.set("bench-key", "value", 60)
    best = None
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(calls):
            client.get("bench-key", None)
        elapsed = (time.perf_counter() - start) / calls
        best = elapsed if best is None else min(best, elapsed)
    return best * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    django_client = per_call(RedisCacheClient([args.url]), args.calls)
    reused_client = per_call(ReusedClientRedisCacheClient([args.url]), args.calls)
    print(f"Django's client (new redis.Redis per call): {django_client:.1f} µs per get")
    print(f"Reused client (config/cache_backend.py):    {reused_client:.1f} µs per get")
    print(f"Saved per call: {django_client - reused_client:.1f} µs ({1 - reused_client / django_client:.0%})")


if __name__ == "__main__":
    main()
