#!/usr/bin/env python
"""Page-cache hit ratio while people register: keyed purges keep the rest of the site cached.

Usage: .venv/bin/python benchmarks/mixed_load.py [--seconds 30] [--rate 5] [--browsers 6] [--workers 2]

Creates the PostgreSQL database ``h_purge`` (``--database``), migrates, loads the
demo content, adds one event open to registration (soonest, so the home page
lists it; seats enough for the whole run), and starts gunicorn with the
production settings, Redis DB 10 as cache and the page cache on. Then, for
``--seconds`` seconds:

- one registrar completes a sign-up (form, POST, thank-you page) every
  ``1/--rate`` seconds, each one a seat change that purges the event's pages;
- ``--browsers`` anonymous visitors load the public pages at random, without
  pause, and count the ``X-Page-Cache`` header of each answer.

Pages are in two groups: those that show the event (its page, the agenda, the
home page, the .ics feed: purged by each registration) and the others (other
events, articles, news, partners, content pages). Reports the hit ratio of
each group (target: ≥ 95 % for the others), the registrations done, and checks
that the event page then shows the right seats-left figure. Prints a markdown
table, writes it to benchmarks/results/mixed_load.md, and a JSON summary last.
"""

import argparse
import json
import os
import platform
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import flush_redis, gunicorn, prepare_site, production_env, recreate_database, shell_json  # noqa: E402
from registration_load import Client, register_once  # noqa: E402

PORT = 8230

CREATE_EVENT = """
import json
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from events.models import EventIndexPage, EventPage
from home.models import ArticlePage, ContentPage, NewsIndexPage, PartnerIndexPage

home = Site.objects.get(is_default_site=True).root_page
agenda = EventIndexPage.objects.child_of(home).first()
event = agenda.add_child(instance=EventPage(
    title="Atelier en pleine ruée", slug="atelier-en-pleine-ruee", start=timezone.now() + timedelta(hours=2),
    registration_mode="open", capacity=CAPACITY, waitlist_enabled=True, max_seats_per_registration=1,
))
event.save_revision().publish()
others = [page.url for page in EventPage.objects.live().public().exclude(pk=event.pk).order_by("start")[:8]]
others += [page.url for page in ArticlePage.objects.live().public().order_by("-date")[:6]]
others += [page.url for page in ContentPage.objects.live().public()[:4]]
others += [page.url for page in NewsIndexPage.objects.live().public()[:1]]
others += [page.url for page in PartnerIndexPage.objects.live().public()[:1]]
print(json.dumps({
    "event_id": event.pk,
    "showing": [event.url, agenda.url, "/", "/calendrier/agenda.ics"],
    "others": others,
}))
"""

COUNT = """
import json
from registrations.models import Registration
rows = list(Registration.objects.filter(event_id=EVENT_ID).values_list("status", flat=True))
print(json.dumps({status: rows.count(status) for status in set(rows)}))
"""


def browse(client, pages, stop, counts, lock, seed):
    """Load random pages until told to stop; count hit / miss / other per group."""
    chooser = random.Random(seed)
    local = Counter()
    while not stop.is_set():
        group, path = chooser.choice(pages)
        try:
            status, headers, _ = client.request("GET", path, headers={"X-Forwarded-For": f"198.51.100.{seed % 250}"})
        except OSError:
            local[(group, "error")] += 1
            continue
        state = {key.lower(): value for key, value in headers}.get("x-page-cache", "none")
        local[(group, state if status == 200 else f"http_{status}")] += 1
    with lock:
        counts.update(local)


def register_steadily(client, event_id, rate, stop, outcomes):
    """One sign-up every 1/rate seconds (a registrar that falls behind does not catch up in a burst)."""
    n = 0
    next_at = time.monotonic()
    while not stop.is_set():
        n += 1
        outcome, _ = register_once(client, event_id, n)
        outcomes[outcome] += 1
        next_at = max(next_at + 1 / rate, time.monotonic())
        stop.wait(max(0.0, next_at - time.monotonic()))


def ratio(counts, group):
    hits, misses = counts[(group, "hit")], counts[(group, "miss")]
    return 100 * hits / (hits + misses) if hits + misses else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rate", type=float, default=5.0, help="registrations per second")
    parser.add_argument("--browsers", type=int, default=6, help="visitors loading pages in parallel")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="h_purge")
    parser.add_argument("--redis-db", type=int, default=10)
    args = parser.parse_args()
    load_average = os.getloadavg()[0]
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"

    env = production_env(
        args.database, redis_url, RATELIMIT_ENABLE="false", REGISTRATION_MIN_FILL_SECONDS=0, PAGE_CACHE_SECONDS=300
    )
    recreate_database(args.database)
    flush_redis(redis_url)
    prepare_site(env)
    capacity = int(args.seconds * args.rate * 2) + 50
    site = shell_json(env, CREATE_EVENT.replace("CAPACITY", str(capacity)))
    pages = [("showing", path) for path in site["showing"]] + [("others", path) for path in site["others"]]

    url = urllib.parse.urlsplit(f"http://127.0.0.1:{PORT}")
    counts, outcomes, lock, stop = Counter(), Counter(), threading.Lock(), threading.Event()
    with gunicorn(env, PORT, args.workers):
        warmer = Client(url)
        for _, path in pages:  # every page built once: the run measures what purges do to a warm cache
            warmer.request("GET", path)
        threads = [
            threading.Thread(target=browse, args=(Client(url), pages, stop, counts, lock, seed))
            for seed in range(args.browsers)
        ]
        threads.append(
            threading.Thread(target=register_steadily, args=(Client(url), site["event_id"], args.rate, stop, outcomes))
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        registrations = shell_json(env, COUNT.replace("EVENT_ID", str(site["event_id"])))
        _, _, html = warmer.request("GET", site["showing"][0])
    confirmed = registrations.get("confirmed", 0)
    remaining = re.search(r"(\d+) places? restantes?", html)
    summary = {
        "seconds": round(elapsed, 1),
        "registrations_per_second": round(sum(outcomes.values()) / elapsed, 2),
        "outcomes": dict(outcomes),
        "registrations": registrations,
        "page_requests": sum(counts.values()),
        "page_requests_per_second": round(sum(counts.values()) / elapsed, 1),
        "hit_ratio_others": round(ratio(counts, "others"), 1),
        "hit_ratio_showing": round(ratio(counts, "showing"), 1),
        "counts": {f"{group} {state}": value for (group, state), value in sorted(counts.items())},
        "seats_left_shown": int(remaining.group(1)) if remaining else None,
        "seats_left_expected": capacity - confirmed,
    }
    summary["seats_left_correct"] = summary["seats_left_shown"] == summary["seats_left_expected"]
    summary["target_met"] = summary["hit_ratio_others"] >= 95 and summary["seats_left_correct"]

    report = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores), "
            f"gunicorn {args.workers} workers, production settings, PostgreSQL `{args.database}`, Redis DB "
            f"{args.redis_db}; {args.browsers} browsing visitors and one registrar at {args.rate:g} sign-ups/s "
            f"for {elapsed:.0f} s; 1-min load average at start: {load_average:.1f}.",
            "",
            "| pages | requests | hits | misses | hit ratio |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {label} | {sum(v for (g, _), v in counts.items() if g == group)} | {counts[(group, 'hit')]} | "
                f"{counts[(group, 'miss')]} | {ratio(counts, group):.1f} % |"
                for group, label in (("others", "not showing the event"), ("showing", "showing the event"))
            ),
            "",
            f"Registrations: {sum(outcomes.values())} completed ({summary['registrations_per_second']}/s), "
            f"statuses {registrations}; page requests {summary['page_requests_per_second']}/s; seats left on "
            f"the event page afterwards {summary['seats_left_shown']} (expected {summary['seats_left_expected']}).",
        ]
    )
    output = Path(__file__).resolve().parent / "results" / "mixed_load.md"
    output.write_text(report + "\n", encoding="utf-8")
    print(report)
    print(json.dumps(summary, ensure_ascii=False))
    sys.exit(0 if summary["target_met"] else 1)


if __name__ == "__main__":
    main()
