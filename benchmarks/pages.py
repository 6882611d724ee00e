#!/usr/bin/env python
"""Page speed under load: the public pages, uncached and cached, against a framework floor.

Usage: .venv/bin/python benchmarks/pages.py [--seconds 10] [--connections 10] [--workers 3]

Creates the PostgreSQL database ``prod_bench``, migrates, loads the demo content,
then starts gunicorn twice with the production settings and config/gunicorn.py
(Redis DB 5 as cache, access log off): once with the page cache off ("cold":
every request builds the page) and once with it on ("cached"). Each URL is warmed,
then loaded by wrk with N connections for S seconds; /bench/floor/ (the cheapest
Django view through the same middleware, enabled by BENCHMARK_FLOOR) is measured
in the same run. Prints a markdown table and writes it to benchmarks/results/pages.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import ensure_wrk, flush_redis, gunicorn, prepare_site, production_env, recreate_database, shell_json  # noqa: E402

DATABASE = "prod_bench"
REDIS_URL = "redis://127.0.0.1:6379/5"
PORT = 8201
LUA = Path(__file__).resolve().parent / "wrk_report.lua"

DISCOVER = """
import json
from django.utils import timezone
from events.models import EventIndexPage, EventPage, EventSchedule
from home.models import ArticlePage, PartnerIndexPage

def url_of(page):
    return page.url if page is not None else None

now = timezone.now()
upcoming = EventPage.objects.live().filter(start__gte=now).order_by("start")
# The issue's event page: one date with limited seats (the series and the course are in cpu_per_page.py).
single = upcoming.filter(capacity__isnull=False, schedule=EventSchedule.SINGLE)
event = single.first() or upcoming.first() or EventPage.objects.live().first()
agenda = EventIndexPage.objects.live().first()
urls = [
    ("Home", "/"),
    ("Agenda", url_of(agenda)),
    ("Month view", f"{agenda.url}mois/{now:%Y}/{now:%m}/" if agenda else None),
    ("Event", url_of(event)),
    ("Article", url_of(ArticlePage.objects.live().order_by("-first_published_at").first())),
    ("Partners", url_of(PartnerIndexPage.objects.live().first())),
    ("Search", "/recherche/?q=atelier"),
    (".ics feed", "/calendrier/agenda.ics"),
]
print(json.dumps([(label, url) for label, url in urls if url]))
"""


def warm(url, times=3):
    """Request a URL a few times (renditions, template and connection caches); None if it does not answer 200."""
    for _ in range(times):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                status = response.status
                cache_state = response.headers.get("X-Page-Cache", "-")
        except urllib.error.HTTPError as error:
            print(f"skipped {url}: HTTP {error.code}", file=sys.stderr)
            return None
    return status, cache_state


def load(wrk, url, seconds, connections):
    result = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(LUA), url],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(env, urls, mode, args, wrk):
    rows = []
    base = f"http://127.0.0.1:{PORT}"
    with gunicorn(env, PORT, args.workers):
        for label, path in [("Floor (minimal Django view)", "/bench/floor/"), *urls]:
            warmed = warm(base + path)
            if warmed is None:
                continue
            status, cache_state = warmed
            figures = load(wrk, base + path, args.seconds, args.connections)
            rows.append({"mode": mode, "label": label, "path": path, "status": status, "cache": cache_state, **figures})
            print(
                f"{mode:7} {label:32} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
                f"p95 {figures['p95_ms']:6.1f} ms  ({cache_state})",
                file=sys.stderr,
            )
    return rows


def table(rows, args):
    floors = {row["mode"]: row["rps"] for row in rows if row["path"] == "/bench/floor/"}
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores), "
        f"gunicorn {args.workers} workers (config/gunicorn.py), local PostgreSQL + Redis, "
        f"wrk {args.connections} connections × {args.seconds} s per URL; machine load at start "
        f"(1-min load average): {args.load_average:.1f}.",
        "",
        "| mode | page | URL | req/s | p50 (ms) | p95 (ms) | p99 (ms) | % of floor | errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        share = 100 * row["rps"] / floors[row["mode"]] if floors.get(row["mode"]) else 0
        lines.append(
            f"| {row['mode']} | {row['label']} | `{row['path']}` | {row['rps']:.0f} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {share:.0f} % | {row['errors']} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    args.load_average = os.getloadavg()[0]

    wrk = ensure_wrk()
    env = production_env(DATABASE, REDIS_URL, BENCHMARK_FLOOR=1, RATELIMIT_ENABLE="false")
    recreate_database(DATABASE)
    flush_redis(REDIS_URL)
    prepare_site(env)
    urls = shell_json(env, DISCOVER)

    rows = measure({**env, "PAGE_CACHE_SECONDS": "0"}, urls, "cold", args, wrk)
    flush_redis(REDIS_URL)
    rows += measure({**env, "PAGE_CACHE_SECONDS": "300"}, urls, "cached", args, wrk)

    report = table(rows, args)
    output = Path(__file__).resolve().parent / "results" / "pages.md"
    output.write_text(report, encoding="utf-8")
    (output.with_suffix(".json")).write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
