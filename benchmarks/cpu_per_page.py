#!/usr/bin/env python
"""CPU time of building each public page, in process: a figure that a shared machine barely moves.

Usage: .venv/bin/python benchmarks/cpu_per_page.py [--database prod_bench] [--requests 100] [--prepare]

Runs the WSGI application in this process with the production settings (DEBUG
off, every middleware, Redis DB 11 as cache, the page cache off so that every
request builds its page) on a PostgreSQL database holding the demo content
(``--prepare`` recreates it as benchmarks/pages.py does). For each public page:
warms it, then makes ``--requests`` requests and prints the process CPU time
per request (``time.process_time``: the Python work of the worker, without the
time waiting for PostgreSQL or Redis, and without the time other processes
take the core), the wall time, and the SQL queries and Redis commands per request.
Writes benchmarks/results/cpu_per_page.md.

Why CPU time: a sync gunicorn worker serves one request at a time, so its
throughput is bounded by (CPU + waits) per request; on a 2-core machine the CPU
part is what the workers and PostgreSQL compete for. This script tells, on a
busy machine too, whether a change makes pages cheaper; benchmarks/pages.py
then measures the throughput on a quiet machine.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ROOT, flush_redis, prepare_site, production_env, recreate_database  # noqa: E402

PAGES = """
from django.utils import timezone
from events.models import EventIndexPage, EventPage, EventSchedule
from home.models import ArticlePage, NewsIndexPage, PartnerIndexPage

def url_of(page):
    return page.url if page is not None else None

now = timezone.now()
upcoming = EventPage.objects.live().filter(start__gte=now).order_by("start")
single = upcoming.filter(capacity__isnull=False, schedule=EventSchedule.SINGLE).first()
agenda = EventIndexPage.objects.live().first()
PAGES = [
    ("Home", "/"),
    ("Agenda", url_of(agenda)),
    ("Month view", f"{agenda.url}mois/{now:%Y}/{now:%m}/" if agenda else None),
    ("Event (one date)", url_of(single)),
    ("Event (series)", url_of(upcoming.filter(schedule=EventSchedule.SERIES).first())),
    ("Event (course)", url_of(upcoming.filter(schedule=EventSchedule.COURSE).first())),
    ("News", url_of(NewsIndexPage.objects.live().first())),
    ("Article", url_of(ArticlePage.objects.live().order_by("-first_published_at").first())),
    ("Partners", url_of(PartnerIndexPage.objects.live().first())),
]
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="prod_bench")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--prepare", action="store_true")
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
    import redis
    from django.db import connection
    from django.test import Client

    namespace = {}
    exec(PAGES, namespace)  # noqa: S102 - our own constant, run after setup
    client = Client(HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_HOST="127.0.0.1")
    server = redis.Redis.from_url(redis_url)
    queries = {"count": 0}

    def count(execute, sql, params, many, context):
        queries["count"] += 1
        return execute(sql, params, many, context)

    rows = []
    for label, path in namespace["PAGES"]:
        if not path:
            continue
        for _ in range(5):
            response = client.get(path)
        if response.status_code != 200:
            print(f"skipped {path}: HTTP {response.status_code}", file=sys.stderr)
            continue
        queries["count"] = 0
        commands = server.info("stats")["total_commands_processed"]
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            for _ in range(args.requests):
                client.get(path)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        commands = server.info("stats")["total_commands_processed"] - commands - 1
        row = (
            label,
            path,
            1000 * cpu / args.requests,
            1000 * wall / args.requests,
            queries["count"] / args.requests,
            commands / args.requests,
        )
        rows.append(row)
        print(
            f"{label:18} CPU {row[2]:6.1f} ms  wall {row[3]:6.1f} ms  SQL {row[4]:4.1f}  Redis {row[5]:5.1f}",
            file=sys.stderr,
        )

    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.requests} requests per page in process, "
        f"production settings, page cache off, PostgreSQL `{args.database}`; 1-min load average "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        "| page | URL | CPU ms / request | wall ms / request | SQL queries | Redis commands |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {r[0]} | `{r[1]}` | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.0f} | {r[5]:.0f} |" for r in rows]
    report = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "cpu_per_page.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
