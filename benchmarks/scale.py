#!/usr/bin/env python
"""Cost that does not grow with the work: the agenda and the admin listings with 10 vs 1,000 events.

Usage: .venv/bin/python benchmarks/scale.py [--requests 30] [--skip-prepare]

Issue 18's target: "the agenda, the month view and the admin listings with 1,000
events and 10,000 registrations keep the same query count and stay within 2× their
time with 10".

Preparation (skipped with ``--skip-prepare``, which reuses the two databases):
recreates the PostgreSQL databases ``scale_small`` and ``scale_large``, migrates and
loads the demo content (``prepare_site``), then adds events under the demo's agenda
in ``manage.py shell`` with the production settings:

- small: 10 extra upcoming events and 10 registrations in total;
- large: 1,000 upcoming events spread over the next 12 months and 10,000
  registrations (confirmed / waitlisted / cancelled), one of them a popular event
  holding 1,000 registrations.

The demo's own registrations are in both. The per-event admin page is measured
twice: for the event with the most registrations (a demo event in the small
database, the popular one in the large: that page shows 50 people a page, so
it must cost the same whatever the event's size), and for the demo's busiest event,
the same in both databases (does it cost more when 10,000 other registrations
exist?).

Events are real, live Wagtail pages (``agenda.add_child``) without revisions;
registrations and their first attendee are bulk-created (the public form's
services are not what is measured here).

Measurement: for each database, a child process runs the WSGI application in
process as benchmarks/cpu_per_page.py does (production settings, page cache off,
Redis DB 12 flushed, ``django.test.Client``), a superuser logged in with
``force_login`` for the admin URLs. Each URL is requested twice to warm, then
``--requests`` times, in two modes:

- kept: as served; the per-worker memos (core/generation_memo.py, the
  ``{% keptlisting %}`` tag) may serve the listing without rebuilding it;
- built: ``core.generation_memo.forget()`` before each request, so that the
  listing is rebuilt each time, as after a publication.

Per request: the SQL queries (``CaptureQueriesContext``), the median wall time and
the median CPU time of this process (``time.process_time``). The verdict compares
large with small: the same query count, and a CPU time at most 2× (CPU rather than
wall time because the 2-core machine is shared: the wall ratio is printed too, but
other processes move it by more than 2× on their own). Writes
benchmarks/results/scale.md.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import PYTHON, ROOT, flush_redis, manage, prepare_site, production_env, recreate_database  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/12"
# A statement's shape: literals, numbers and server-side cursor names blanked, so that one statement per row counts up.
SHAPES = [
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r'"_django_curs_\w+"'), "cursor"),
    (re.compile(r"\b\d+\b"), "?"),
    (re.compile(r"\?(?:, \?)+"), "?…"),
]
ADMIN_USERNAME = "scale-admin"
SIZES = {
    # database: (extra events, registrations, registrations of the most popular event)
    "scale_small": (10, 10, 4),
    "scale_large": (1000, 10000, 1000),
}

# Run in `manage.py shell -c` with EVENTS, REGISTRATIONS, POPULAR prepended.
POPULATE = """
import logging
import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from registrations.models import Attendee, Registration, RegistrationMode, RegistrationStatus

random.seed(18)
logging.getLogger("wagtail").setLevel(logging.WARNING)  # not a "Page created" line per event
started = time.perf_counter()
agenda = EventIndexPage.objects.first()
demo = list(EventPage.objects.child_of(agenda).order_by("pk"))
today = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
events = []
with transaction.atomic():
    for n in range(EVENTS):
        model = demo[n % len(demo)]
        # Spread over the next 12 months (from tomorrow), at a daytime or evening hour.
        start = today + timedelta(days=1 + n * 364 // EVENTS, hours=random.choice([-8, -4, 0, 1]))
        event = EventPage(
            title=f"Atelier d'échelle {n + 1}",
            slug=f"atelier-echelle-{n + 1}",
            start=start,
            end=start + timedelta(hours=2),
            summary="Un atelier ajouté pour mesurer le coût des listes avec beaucoup d'événements.",
            category_id=model.category_id,
            venue_id=model.venue_id,
            image_id=model.image_id,
            registration_mode=RegistrationMode.OPEN,
            capacity=20,
            contact_email="ateliers@example.org",
        )
        agenda.add_child(instance=event)
        events.append(event)
pages_done = time.perf_counter()

# The most popular event first, then the rest spread at random over every new event.
targets = [events[0]] * POPULAR + [random.choice(events) for _ in range(REGISTRATIONS - POPULAR)]
statuses = [RegistrationStatus.CONFIRMED] * 7 + [RegistrationStatus.WAITLISTED] * 2 + [RegistrationStatus.CANCELLED]
now = timezone.now()
registrations = [
    Registration(
        event=event,
        first_name=f"Prénom{n}",
        last_name=f"Nom{n}",
        email=f"personne{n}@example.org",
        organisation="Centre social des Grésilles",
        phone="03 80 00 00 00",
        status=random.choice(statuses),
        status_changed_at=now,
        consent_at=now,
    )
    for n, event in enumerate(targets)
]
with transaction.atomic():
    Registration.objects.bulk_create(registrations, batch_size=1000)
    Attendee.objects.bulk_create(
        [
            Attendee(registration=r, position=1, first_name=r.first_name, last_name=r.last_name, email=r.email)
            for r in registrations
        ],
        batch_size=1000,
    )
User = get_user_model()
if not User.objects.filter(username=ADMIN).exists():
    User.objects.create_superuser(ADMIN, "scale-admin@example.org", None)
print(
    f"{EVENTS} event pages in {pages_done - started:.1f} s, "
    f"{REGISTRATIONS} registrations in {time.perf_counter() - pages_done:.1f} s"
)
"""

# Run in the measuring child process after django.setup(): the URLs of this database.
DISCOVER = """
from collections import Counter
from django.db.models import Count
from django.utils import timezone
from events.models import EventIndexPage, EventPage

agenda = EventIndexPage.objects.live().first()
upcoming = EventPage.objects.live().child_of(agenda).filter(start__gte=timezone.now())
months = Counter(timezone.localtime(start).strftime("%Y/%m") for start in upcoming.values_list("start", flat=True))
busiest_month = months.most_common(1)[0][0]
by_registrations = EventPage.objects.annotate(n=Count("registrations")).order_by("-n", "pk")
busiest = by_registrations.first()
# The same demo event in both databases: does its page cost more when 10,000 other registrations exist?
demo_busiest = by_registrations.exclude(slug__startswith="atelier-echelle-").first()
URLS = [
    ("Agenda", agenda.url),
    ("Agenda, page 2", f"{agenda.url}?page=2"),
    (f"Month view ({busiest_month})", f"{agenda.url}mois/{busiest_month}/"),
    (f"Admin: registrations of the busiest event ({busiest.n})", f"/admin/inscriptions/evenement/{busiest.pk}/"),
    (
        f"Admin: registrations of the demo's busiest event ({demo_busiest.n})",
        f"/admin/inscriptions/evenement/{demo_busiest.pk}/",
    ),
    ("Admin: all registrations", "/admin/inscriptions/"),
    ("Admin: page explorer of the agenda", f"/admin/pages/{agenda.pk}/"),
    ("Admin: agenda › events", "/admin/agenda/evenements/"),
]
"""


def populate(env, database):
    events, registrations, popular = SIZES[database]
    code = f"EVENTS = {events}\nREGISTRATIONS = {registrations}\nPOPULAR = {popular}\nADMIN = {ADMIN_USERNAME!r}\n"
    started = time.perf_counter()
    manage(env, "shell", "-c", code + POPULATE, quiet=False)
    print(f"{database}: populated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure_here(database, requests):
    """In this (child) process: measure every URL of ``database``, print the figures as JSON."""
    env = production_env(database, REDIS_URL, PAGE_CACHE_SECONDS=0, RATELIMIT_ENABLE="false")
    flush_redis(REDIS_URL)
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import generation_memo

    namespace = {}
    exec(DISCOVER, namespace)  # noqa: S102 - our own constant, run after setup
    client = Client(HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=ADMIN_USERNAME))

    results = []
    for label, path in namespace["URLS"]:
        row = {"label": label, "path": path}
        for mode in ("kept", "built"):
            for _ in range(2):
                if mode == "built":
                    generation_memo.forget()
                response = client.get(path)
            if response.status_code != 200:
                row[mode] = {"status": response.status_code}
                continue
            queries, walls, cpus = [], [], []
            for _ in range(requests):
                if mode == "built":
                    generation_memo.forget()
                with CaptureQueriesContext(connection) as captured:
                    wall, cpu = time.perf_counter(), time.process_time()
                    client.get(path)
                    cpus.append(1000 * (time.process_time() - cpu))
                    walls.append(1000 * (time.perf_counter() - wall))
                queries.append(len(captured.captured_queries))
            # The statements of the last request, literals blanked: what repeats per row when the count grows.
            shapes = {}
            for query in captured.captured_queries:
                shape = query["sql"]
                for pattern, blank in SHAPES:
                    shape = pattern.sub(blank, shape)
                shapes[shape] = shapes.get(shape, 0) + 1
            row[mode] = {
                "status": 200,
                "queries_min": min(queries),
                "queries_max": max(queries),
                "wall_ms": statistics.median(walls),
                "cpu_ms": statistics.median(cpus),
                "shapes": shapes,
            }
            print(
                f"{database:12} {mode:5} {label[:48]:48} SQL {min(queries):3}-{max(queries):<3} "
                f"wall {row[mode]['wall_ms']:7.1f} ms  CPU {row[mode]['cpu_ms']:7.1f} ms",
                file=sys.stderr,
            )
        results.append(row)
    print(json.dumps(results))


def measure(database, requests):
    output = subprocess.run(
        [str(PYTHON), __file__, "--measure", database, "--requests", str(requests)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def queries_text(figures):
    low, high = figures["queries_min"], figures["queries_max"]
    return str(low) if low == high else f"{low}–{high}"


def verdict(small, large):
    """PASS when the large database needs no more queries and at most 2× the CPU time."""
    if small.get("status") != 200 or large.get("status") != 200:
        return f"FAIL (HTTP {small.get('status')} / {large.get('status')})", None, None
    cpu_ratio = large["cpu_ms"] / small["cpu_ms"]
    wall_ratio = large["wall_ms"] / small["wall_ms"]
    reasons = []
    if large["queries_max"] > small["queries_max"]:
        reasons.append(f"+{large['queries_max'] - small['queries_max']} queries")
    if cpu_ratio > 2:
        reasons.append("CPU > 2×")
    return ("FAIL (" + ", ".join(reasons) + ")") if reasons else "PASS", cpu_ratio, wall_ratio


def growing_queries(small, large):
    """When the query count grows: the statements the large database runs more often (built mode), the reason."""
    if large["built"].get("queries_max", 0) <= small["built"].get("queries_max", 0):
        return []
    small_shapes, large_shapes = small["built"].get("shapes", {}), large["built"].get("shapes", {})
    grown = [(n - small_shapes.get(shape, 0), shape) for shape, n in large_shapes.items()]
    grown = sorted(((extra, shape) for extra, shape in grown if extra > 0), reverse=True)
    if not grown:
        return []
    lines = ["", "Statements that grow (built mode, extra runs per request in the large database):", ""]
    for extra, shape in grown[:5]:
        text = shape if len(shape) <= 300 else shape[:300] + "…"
        lines.append(f"- +{extra} × `{text}`")
    return lines


def report(small_rows, large_rows, args, load_average):
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.requests} requests per URL and mode in process, "
        "production settings, page cache off, medians per request; small = demo + 10 events / 10 registrations "
        "(`scale_small`), large = demo + 1,000 events / 10,000 registrations (`scale_large`); 1-min load average "
        f"{load_average:.1f} at start, {os.getloadavg()[0]:.1f} at the end (2 shared cores: CPU ms is the figure "
        "judged, wall ms moves with the other processes).",
        "",
        "Target: same SQL queries and ≤ 2× the CPU time with the large database. *kept* = as served (per-worker "
        "memos may keep the listing); *built* = `core.generation_memo.forget()` before each request.",
        "",
    ]
    failures = 0
    for small, large in zip(small_rows, large_rows, strict=True):
        lines += [
            f"### {small['label']}",
            "",
            f"small `{small['path']}` · large `{large['path']}`",
            "",
            "| mode | SQL small | SQL large | CPU ms small | CPU ms large | CPU ×| wall ms small | wall ms large "
            "| wall × | verdict |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for mode in ("kept", "built"):
            result, cpu_ratio, wall_ratio = verdict(small[mode], large[mode])
            failures += result != "PASS"
            if cpu_ratio is None:
                lines.append(f"| {mode} | | | | | | | | | {result} |")
                continue
            s, g = small[mode], large[mode]
            lines.append(
                f"| {mode} | {queries_text(s)} | {queries_text(g)} | {s['cpu_ms']:.1f} | {g['cpu_ms']:.1f} | "
                f"{cpu_ratio:.2f} | {s['wall_ms']:.1f} | {g['wall_ms']:.1f} | {wall_ratio:.2f} | {result} |"
            )
        lines += growing_queries(small, large)
        lines.append("")
    lines.append(f"**{'All PASS' if not failures else f'{failures} FAIL'}**")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process: one database
    args = parser.parse_args()
    if args.measure:
        measure_here(args.measure, args.requests)
        return

    load_average = os.getloadavg()[0]
    if not args.skip_prepare:
        for database in SIZES:
            env = production_env(database, REDIS_URL, PAGE_CACHE_SECONDS=0)
            recreate_database(database)
            flush_redis(REDIS_URL)
            started = time.perf_counter()
            prepare_site(env)
            print(f"{database}: demo site ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            populate(env, database)
    small_rows = measure("scale_small", args.requests)
    large_rows = measure("scale_large", args.requests)
    text = report(small_rows, large_rows, args, load_average)
    (ROOT / "benchmarks" / "results" / "scale.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
