#!/usr/bin/env python
"""Where the time of an uncached page goes: cProfile over the real request path, SQL counted and timed.

Usage: .venv/bin/python benchmarks/profile_pages.py [--database h_purge] [--requests 50] [--prepare]

Runs in this process the WSGI application with the production settings
(DEBUG off, the whole middleware stack, Redis DB 10 as cache, the page cache
off so that every request builds its page) on a PostgreSQL database holding
the demo content (``--prepare`` recreates it as benchmarks/pages.py does). For
the home page and the first upcoming event with limited seats: warms them, then
profiles ``--requests`` requests each and prints, per request, the wall time,
the SQL queries and their time, the time inside template rendering, and the
functions with the most time of their own and in total. Writes
benchmarks/results/profile.md.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT, flush_redis, prepare_site, production_env, recreate_database  # noqa: E402

TOP = 15
# Own time (tottime) summed by where the code lives: the "where the time goes" table.
GROUPS = [
    ("/psycopg/", "database driver (psycopg: send the query, wait for PostgreSQL, read rows)"),
    ("/redis/", "Redis client (renditions and site caches: a client object built per command)"),
    ("/django/db/models/sql/", "ORM: compiling querysets to SQL"),
    ("/django/db/", "ORM: querysets, rows to model objects"),
    ("/django/template/", "Django templates"),
    ("/wagtail/", "Wagtail (routing, site, pages, images, rich text)"),
    ("/modelcluster/", "Wagtail (routing, site, pages, images, rich text)"),
    ("/django/", "Django (middleware, URLs, forms, i18n, other)"),
]
OWN_CODE = "the project's own code"


def timed_queries():
    """An execute wrapper that counts the queries and adds up their time."""
    figures = {"count": 0, "seconds": 0.0}

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            figures["count"] += 1
            figures["seconds"] += time.perf_counter() - start

    return wrapper, figures


def cumulative(stats, name_part):
    """Total time (cumulative) of the outermost calls of the functions whose name contains ``name_part``."""
    best = 0.0
    for (filename, _, function), (_, _, _, cumtime, _) in stats.stats.items():
        if name_part in f"{filename}:{function}":
            best = max(best, cumtime)
    return best


def redis_commands(redis_url):
    import redis

    return redis.Redis.from_url(redis_url).info("stats")["total_commands_processed"]


def profile(client, path, requests, connection, redis_url):
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    wrapper, figures = timed_queries()
    commands_before = redis_commands(redis_url)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
    wall = time.perf_counter() - start
    commands = redis_commands(redis_url) - commands_before - 1  # the INFO above
    stats = pstats.Stats(profiler)
    per_request = {
        "wall_ms": 1000 * wall / requests,
        "queries": figures["count"] / requests,
        "sql_ms": 1000 * figures["seconds"] / requests,
        "redis_commands": commands / requests,
        "template_ms": 1000 * cumulative(stats, "django/template/response.py:rendered_content") / requests,
    }
    by_group = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        label = next((label for part, label in GROUPS if part in filename), None)
        if label is None:
            own = filename.startswith(str(ROOT)) and "site-packages" not in filename
            label = OWN_CODE if own else "Python and other libraries"
        by_group[label] = by_group.get(label, 0.0) + tottime
    total = sum(by_group.values()) or 1.0
    lines = ["| where (own time) | ms per request | share |", "| --- | ---: | ---: |"]
    for label, seconds in sorted(by_group.items(), key=lambda item: -item[1]):
        lines.append(f"| {label} | {1000 * seconds / requests:.1f} | {100 * seconds / total:.0f} % |")
    lines.append("")
    for sort in ("tottime",):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(TOP)
        lines.append(f"Sorted by {sort} (for {requests} requests):\n\n```\n" + trim(out.getvalue()) + "```\n")
    return per_request, "\n".join(lines)


def trim(text):
    """The table of pstats' output, without its header lines."""
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:]) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="h_purge")
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--prepare", action="store_true", help="recreate the database with the demo content")
    parser.add_argument(
        "--path", action="append", default=[], help="profile this path instead of the event page and home (repeatable)"
    )
    args = parser.parse_args()
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = production_env(args.database, redis_url, PAGE_CACHE_SECONDS=0, RATELIMIT_ENABLE="false")
    if args.prepare:
        recreate_database(args.database)
        prepare_site(env)
    flush_redis(redis_url)
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from events.models import EventPage

    # The demo's first upcoming event with limited seats, as benchmarks/pages.py (not mixed_load's own event).
    upcoming = EventPage.objects.live().filter(start__gte=timezone.now(), capacity__isnull=False)
    event = upcoming.exclude(slug="atelier-en-pleine-ruee").order_by("start").first()
    client = Client(HTTP_HOST="127.0.0.1")
    sections, rows = [], []
    pages = [(path, path) for path in args.path] or [("Event page", event.url), ("Home", "/")]
    for label, path in pages:
        figures, detail = profile(client, path, args.requests, connection, redis_url)
        rows.append(
            f"| {label} | `{path}` | {figures['wall_ms']:.1f} | {figures['queries']:.0f} | {figures['sql_ms']:.1f} | "
            f"{figures['template_ms']:.1f} | {figures['redis_commands']:.0f} |"
        )
        sections.append(f"### {label} (`{path}`)\n\n{detail}")
    report = "\n".join(
        [
            f"Profiled {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.uname().nodename}, production settings in "
            f"process (WSGI handler and every middleware, page cache off), PostgreSQL `{args.database}`, "
            f"{args.requests} requests per page under cProfile (which slows Python code, not SQL); 1-min load "
            f"average {os.getloadavg()[0]:.1f}.",
            "",
            "| page | URL | ms per request (profiled) | SQL queries | SQL ms | template rendering ms "
            "(incl. its SQL) | Redis commands |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            *sections,
        ]
    )
    output = Path(__file__).resolve().parent / "results" / "profile.md"
    output.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
