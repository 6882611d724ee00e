#!/usr/bin/env python
"""The site with its cache (Redis) healthy, down, and hung: what visitors get, and how fast.

Usage: python benchmarks/cache_outage.py [--database cache_outage] [--redis-db 7] [--workers 2]

Creates the PostgreSQL database, migrates, loads the demo content, adds one event
open to registration, then starts gunicorn with the production settings three
times, each with another ``REDIS_URL``:

- ``healthy``: the real Redis on 127.0.0.1:6379 (its database ``--redis-db``, flushed first);
- ``down``: a closed port (connections refused at once);
- ``hung``: a port where a thread of this script accepts connections and never answers.

In each mode every public URL is fetched twice, and one registration is sent
(form GET, then POST). Prints a table (status and seconds per request), the
registrations stored, the 5xx count and /sante/, and a JSON summary on the last line;
exits non-zero when a check fails (tests/production/test_cache_outage.py runs it in CI).
"""

import argparse
import http.client
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import flush_redis, gunicorn, manage, production_env, recreate_database, shell_json  # noqa: E402

PORT = 8611

CREATE_EVENT = """
import json
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from events.models import EventIndexPage, EventPage

home = Site.objects.get(is_default_site=True).root_page
agenda = EventIndexPage.objects.child_of(home).first()
event = agenda.add_child(instance=EventPage(
    title="Atelier pendant la panne", slug="atelier-pendant-la-panne", start=timezone.now() + timedelta(days=7),
    registration_mode="open", capacity=50, waitlist_enabled=True, max_seats_per_registration=1,
))
event.save_revision().publish()
print(json.dumps({"event_id": event.pk, "url": event.url}))
"""

COUNT = """
import json
from registrations.models import Registration
print(json.dumps(Registration.objects.filter(event_id=EVENT_ID).count()))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HungServer:
    """Accepts TCP connections and never answers: a Redis that hangs (swapping, stuck in a long command)."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.port = self.socket.getsockname()[1]
        self.held = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)


def fetch(method, path, ip, body=None, cookie=None):
    """(status, seconds, headers, text); status 0 when the server closed the connection without answering."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=90)
    headers = {"Host": "127.0.0.1", "X-Forwarded-For": ip}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        status, response_headers = response.status, response.getheaders()
    except (OSError, http.client.HTTPException):
        status, response_headers, text = 0, [], ""
    finally:
        connection.close()
    return status, time.perf_counter() - started, response_headers, text


def register(event_id, n):
    """GET the form, POST it: [(label, status, seconds)]."""
    ip = f"198.51.100.{n}"
    status, seconds, headers, text = fetch("GET", f"/inscription/{event_id}/", ip)
    rows = [("GET form", status, seconds)]
    cookies = [value.split(";")[0] for name, value in headers if name.lower() == "set-cookie"]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    if status != 200 or not fields:
        return rows
    data = {
        **fields,
        "first_name": "Camille",
        "last_name": "Panne",
        "email": f"panne{n}@example.org",
        "consent": "on",
        "website": "",
    }
    status, seconds, _, _ = fetch(
        "POST", f"/inscription/{event_id}/", ip, urllib.parse.urlencode(data), "; ".join(cookies)
    )
    rows.append(("POST registration", status, seconds))
    return rows


def run_mode(env, mode, redis_url, urls, event_id, workers, serial, waits=None):
    """Browse, register twice, ask /sante/. ``waits``: how many times Redis was waited on so far (hung mode)."""
    env = {**env, "REDIS_URL": redis_url}
    rows = []
    with gunicorn(env, PORT, workers, healthy=False):
        waits_before, started = (waits() if waits else 0), time.perf_counter()
        for round_number in (1, 2):
            for path in urls:
                status, seconds, _, _ = fetch("GET", path, "203.0.113.9")
                rows.append((f"GET {path} ({round_number})", status, seconds))
        for n in (1, 2):
            rows += register(event_id, serial + n)
        browsing = {"seconds": time.perf_counter() - started, "redis_waits": (waits() if waits else 0) - waits_before}
        status, seconds, _, health = fetch("GET", "/sante/", "203.0.113.9")
        rows.append(("GET /sante/", status, seconds))
    stored = shell_json(env, COUNT.replace("EVENT_ID", str(event_id)))
    return {"mode": mode, "rows": rows, "health": health, "stored_so_far": stored, "browsing": browsing}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="cache_outage")
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    healthy_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = production_env(
        args.database,
        healthy_url,
        RATELIMIT_ENABLE="true",
        REGISTRATION_MIN_FILL_SECONDS="0",
        TASK_BACKEND="django_tasks_db.DatabaseBackend",
        TRUSTED_PROXY_COUNT="1",
    )
    recreate_database(args.database)
    flush_redis(healthy_url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    event = shell_json(env, CREATE_EVENT)
    urls = [
        "/",
        "/agenda/",
        event["url"],
        "/contact/",
        "/recherche/?q=atelier",
        "/actualites/flux/",
        "/calendrier/agenda.ics",
        "/sitemap.xml",
    ]
    hung = HungServer()
    modes = [
        ("healthy", healthy_url),
        ("down", f"redis://127.0.0.1:{free_port()}/0"),
        ("hung", f"redis://127.0.0.1:{hung.port}/0"),
    ]
    results = []
    for index, (mode, url) in enumerate(modes):
        waits = (lambda: len(hung.held)) if mode == "hung" else None
        results.append(run_mode(env, mode, url, urls, event["event_id"], args.workers, 10 * index, waits))

    summary, checks, stored_before = [], {}, 0
    expected_health = {"healthy": "ok", "down": "dégradé", "hung": "dégradé"}
    for result in results:
        mode, rows = result["mode"], result["rows"]
        errors = sum(1 for _, status, _ in rows if status == 0 or status >= 500)
        posts = [row for row in rows if row[0] == "POST registration"]
        pages = [seconds for label, status, seconds in rows if label.startswith("GET /") and "/sante/" not in label]
        stored, stored_before = result["stored_so_far"] - stored_before, result["stored_so_far"]
        health = json.loads(result["health"]) if result["health"].startswith("{") else {}
        print(f"\n== {mode} ==", file=sys.stderr)
        for label, status, seconds in rows:
            print(f"{status:>4} {seconds * 1000:8.0f} ms  {label}", file=sys.stderr)
        print(f"5xx or no answer: {errors}; /sante/: {result['health']}", file=sys.stderr)
        checks[f"{mode}_no_5xx"] = errors == 0
        checks[f"{mode}_registrations_stored"] = [status for _, status, _ in posts] == [302, 302] and stored == 2
        checks[f"{mode}_health"] = health.get("status") == expected_health[mode]
        # The first request of a fresh worker is slow in every mode (imports, templates): a ceiling, not a race.
        checks[f"{mode}_pages_fast"] = max(pages) < 5 and sum(pages) < 10
        if mode == "hung":
            # Each connection the hung server accepted is one wait of the read timeout. With the circuit
            # breaker a worker waits once, then probes once per REDIS_RETRY_AFTER (5 s): a count, true
            # however loaded the machine, where the ceiling above is a time.
            browsing = result["browsing"]
            allowed = args.workers * (1 + int(browsing["seconds"] // 5))
            # (A worker whose breaker the start-up /sante/ opened may not wait at all.)
            checks["hung_redis_waited_on_once_per_worker"] = browsing["redis_waits"] <= allowed
        summary.append(
            {
                "mode": mode,
                "requests": len(rows),
                "errors_5xx": errors,
                "page_max_ms": round(max(pages) * 1000),
                "page_total_ms": round(sum(pages) * 1000),
                "registration_posts": [(status, round(seconds * 1000)) for _, status, seconds in posts],
                "registrations_stored": stored,
                "redis_waits_while_browsing": result["browsing"]["redis_waits"],
                "health": health,
            }
        )
    for name, passed in checks.items():
        print(f"{'OK ' if passed else 'FAIL'} {name}", file=sys.stderr)
    print(json.dumps({"modes": summary, "checks": checks}, ensure_ascii=False))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
