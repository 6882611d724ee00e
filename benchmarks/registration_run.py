#!/usr/bin/env python
"""The registration rush end to end: a fresh site, gunicorn, N people signing up at once, exactly 30 confirmed.

Usage: .venv/bin/python benchmarks/registration_run.py [-n 300] [-c 16] [--workers 2] [--skip-prepare]

Creates the PostgreSQL database ``reg_bench``, migrates, loads the demo content
(the demo workshop: 30 seats, 3 taken by the demo's registrations, waiting list
on, two questions), starts gunicorn with the production settings (page cache
on, Redis DB 9, e-mails queued in the database, no worker sending them), the
rate limit and the anti-robot delay off as a load test needs, then runs
``registration_load.py`` against the workshop: each person GETs the form, POSTs
it and reads the thank-you page. Afterwards it counts the workshop's
registrations in the database: the run passes when exactly 30 seats are
confirmed and every other person is on the waiting list. Prints the figures and
writes them to benchmarks/results/registration_run.md.
"""

import argparse
import contextlib
import io
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import registration_load  # noqa: E402
from _server import flush_redis, gunicorn, prepare_site, production_env, recreate_database, shell_json  # noqa: E402

DATABASE = "reg_bench"
REDIS_URL = "redis://127.0.0.1:6379/9"
PORT = 8204

# The demo's Ocim workshop « Tiers-lieux et institutions culturelles »: 30 seats, open, waiting list on.
WORKSHOP_SLUG = "atelier-tiers-lieux-et-institutions-culturelles"
FIND_WORKSHOP = """
import json
from events.models import EventPage
event = EventPage.objects.live().get(slug=SLUG)
print(json.dumps({"id": event.pk, "title": event.title, "capacity": event.capacity}))
"""

COUNT = """
import json
from django.db.models import Sum
from registrations.models import Registration
rows = Registration.objects.filter(event_id=EVENT_ID, occurrence__isnull=True)
by_status = {row["status"]: row["seats"] for row in rows.values("status").annotate(seats=Sum("seats")).order_by()}
print(json.dumps(by_status))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=300)
    parser.add_argument("-c", "--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse reg_bench as it is (seats already taken)")
    args = parser.parse_args()
    env = production_env(DATABASE, REDIS_URL, RATELIMIT_ENABLE="false", REGISTRATION_MIN_FILL_SECONDS="0")
    if not args.skip_prepare:
        recreate_database(DATABASE)
        prepare_site(env)
    flush_redis(REDIS_URL)
    workshop = shell_json(env, FIND_WORKSHOP.replace("SLUG", repr(WORKSHOP_SLUG)))
    load = os.getloadavg()[0]
    output = io.StringIO()
    with gunicorn(env, PORT, args.workers), contextlib.redirect_stdout(output):
        url, event = f"--url=http://127.0.0.1:{PORT}", f"--event={workshop['id']}"
        status = registration_load.main([url, event, f"-n{args.requests}", f"-c{args.concurrency}"])
    seats = shell_json(env, COUNT.replace("EVENT_ID", str(workshop["id"])))
    confirmed = seats.get("confirmed", 0)
    verdict = "PASS" if confirmed == workshop["capacity"] == 30 and status == 0 else "FAIL"
    report = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.uname().nodename} ({os.cpu_count()} cores), "
            f"gunicorn {args.workers} workers (config/gunicorn.py), PostgreSQL `{DATABASE}`, Redis DB 9; "
            f"{args.requests} people, {args.concurrency} at a time, on « {workshop['title']} » (30 seats); "
            f"1-min load average at start: {load:.1f}.",
            "",
            "```",
            output.getvalue().strip(),
            "```",
            "",
            f"Seats in the database afterwards, by status: {json.dumps(seats, ensure_ascii=False)}. "
            f"Exactly 30 confirmed: {verdict}.",
        ]
    )
    print(report)
    (Path(__file__).resolve().parent / "results" / "registration_run.md").write_text(report + "\n", encoding="utf-8")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
