#!/usr/bin/env python
"""Worker memory: the RSS of one gunicorn worker after 100 and after 10,000 requests of the public pages.

Usage: .venv/bin/python benchmarks/worker_memory.py [--requests 10000] [--clients 4]

Issue 18's target: "worker memory (RSS) after 10,000 requests within 20 % of the
memory after 100". What would break it: a per-worker memo or cache keyed by
something visitors choose (a query string, a month, a search term) that never
forgets.

Starts gunicorn with the production settings and config/gunicorn.py (one sync
worker, page cache off so that every request builds its page, Redis DB 13
flushed, worker recycling off: ``GUNICORN_MAX_REQUESTS=0``, otherwise the worker
would be replaced after ~2,000 requests and the figure would say nothing) on the
PostgreSQL database of benchmarks/pages.py, ``prod_bench`` (used read-only; created
and filled with the demo only if it does not exist). ``--clients`` threads send
the requests with http.client over a mix of public pages: home, agenda and its
pages (``?page=N``), month views over 24 months, event pages, news and articles,
partners, search (a new term every few requests), the .ics feeds. The worker's
pid is the master's child (``pgrep -P``); its RSS is VmRSS in /proc/<pid>/status,
read after 100, 1,000, 5,000 and 10,000 requests (the worker must stay the same
process). The verdict compares 10,000 with 100. Writes
benchmarks/results/worker_memory.md.
"""

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import PG, ROOT, flush_redis, gunicorn, manage, prepare_site, production_env, recreate_database, shell_json  # noqa: E402

DATABASE = "prod_bench"
REDIS_URL = "redis://127.0.0.1:6379/13"
PORT = 8213
CHECKPOINTS = (100, 1000, 5000, 10000)
SEARCH_TERMS = ["atelier", "lecture", "numérique", "famille", "jardin", "conférence", "musique", "emploi", "théâtre"]

# Run in `manage.py shell -c`: the public URLs of the demo as JSON (the last line printed).
DISCOVER = """
import json
from events.models import EventIndexPage, EventPage
from home.models import ArticlePage, NewsIndexPage, PartnerIndexPage

agenda = EventIndexPage.objects.live().first()
news = NewsIndexPage.objects.live().first()
partners = PartnerIndexPage.objects.live().first()
categories = sorted({e.category.slug for e in EventPage.objects.live().select_related("category") if e.category})
print(json.dumps({
    "agenda": agenda.url,
    "events": [page.url for page in EventPage.objects.live().order_by("pk")],
    "articles": [page.url for page in ArticlePage.objects.live().order_by("pk")],
    "news": news.url if news else None,
    "partners": partners.url if partners else None,
    "categories": categories,
}))
"""


def database_exists(name):
    output = subprocess.run(
        ["psql", "-h", PG["host"], "-U", PG["user"], "-Atl"], check=True, capture_output=True, text=True
    ).stdout
    return name in {line.split("|")[0] for line in output.splitlines()}


def url_for(n, site):
    """The n-th request's path: a cycle over the public pages, with query strings that keep changing."""
    now = datetime.now(UTC)
    agenda = site["agenda"]
    kind = n % 12
    if kind == 0:
        return "/"
    if kind == 1:
        return agenda
    if kind == 2:
        return f"{agenda}?page={n % 40 + 1}"  # past the last page too: Paginator.get_page serves the last one
    if kind == 3:
        index = now.year * 12 + now.month - 1 + (n // 12) % 24 - 6  # 24 months, from 6 months back
        return f"{agenda}mois/{index // 12}/{index % 12 + 1:02d}/"
    if kind in (4, 5):
        return site["events"][n % len(site["events"])]
    if kind == 6:
        return site["articles"][n % len(site["articles"])] if site["articles"] else "/"
    if kind == 7:
        return site["news"] or "/"
    if kind == 8:
        return site["partners"] or "/"
    if kind == 9:
        term = SEARCH_TERMS[n % len(SEARCH_TERMS)]
        return f"/recherche/?q={term}+{n // 12}".replace("é", "%C3%A9")  # a new search every round
    if kind == 10:
        return "/calendrier/agenda.ics"
    categories = site["categories"]
    return f"/calendrier/categorie/{categories[n % len(categories)]}.ics" if categories else "/calendrier/agenda.ics"


def worker_pid(master):
    output = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    if len(output) != 1:
        raise RuntimeError(f"expected one gunicorn worker under {master}, found {output}")
    return int(output[0])


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class Clients:
    """HTTP clients, one connection per thread (reopened when the sync worker closes it)."""

    def __init__(self, count):
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=count)
        self.statuses = {}
        self.lock = threading.Lock()

    def get(self, path):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        try:
            connection.request("GET", path, headers={"X-Forwarded-For": "203.0.113.13"})
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            connection.close()
            status = "error"
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def run(self, paths):
        list(self.pool.map(self.get, paths))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=CHECKPOINTS[-1])
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    checkpoints = [c for c in CHECKPOINTS if c < args.requests] + [args.requests]
    load_average = os.getloadavg()[0]

    env = production_env(DATABASE, REDIS_URL, PAGE_CACHE_SECONDS=0, RATELIMIT_ENABLE="false", GUNICORN_MAX_REQUESTS=0)
    if not database_exists(DATABASE):
        recreate_database(DATABASE)
        prepare_site(env)
    else:
        manage(env, "collectstatic", "--noinput")  # this checkout's static files and their manifest
    flush_redis(REDIS_URL)
    site = shell_json(env, DISCOVER)

    clients = Clients(args.clients)
    readings = []
    with gunicorn(env, PORT, workers=1) as master:
        pid = worker_pid(master.pid)
        readings.append((0, rss_kib(pid), 0.0))
        started = time.perf_counter()
        done = 0
        for checkpoint in checkpoints:
            clients.run([url_for(n, site) for n in range(done, checkpoint)])
            done = checkpoint
            if worker_pid(master.pid) != pid:
                raise RuntimeError("the gunicorn worker was replaced during the run: its memory was not followed")
            readings.append((done, rss_kib(pid), time.perf_counter() - started))
            _, rss, elapsed = readings[-1]
            print(f"{done:6} requests  RSS {rss / 1024:7.1f} MiB  {elapsed:6.0f} s", file=sys.stderr)

    at_100 = next(rss for count, rss, _ in readings if count == checkpoints[0])
    final = readings[-1][1]
    growth = 100 * (final - at_100) / at_100
    errors = sum(n for status, n in clients.statuses.items() if status != 200)
    verdict = "PASS" if growth <= 20 and not errors else "FAIL"
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: one sync gunicorn worker (config/gunicorn.py, worker "
        f"recycling off), production settings, page cache off, PostgreSQL `{DATABASE}` (demo content), "
        f"{args.clients} clients; 1-min load average {load_average:.1f} at start, {os.getloadavg()[0]:.1f} at the "
        "end. Mix: home, agenda and `?page=N`, month views over 24 months, event pages, articles, news, partners, "
        "search (a new term every 12 requests), .ics feeds.",
        "",
        "| requests | worker RSS (MiB) | vs after 100 | elapsed (s) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for count, rss, elapsed in readings:
        label = "after start" if count == 0 else f"{count:,}"
        lines.append(f"| {label} | {rss / 1024:.1f} | {100 * (rss - at_100) / at_100:+.1f} % | {elapsed:.0f} |")
    lines += [
        "",
        f"Responses: {', '.join(f'{status}: {n}' for status, n in sorted(clients.statuses.items(), key=str))}.",
        "",
        f"Growth {checkpoints[0]:,} → {checkpoints[-1]:,} requests: {growth:+.1f} % "
        f"(target ≤ 20 %, every response 200): **{verdict}**",
    ]
    text = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "worker_memory.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
