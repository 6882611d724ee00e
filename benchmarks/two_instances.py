#!/usr/bin/env python
"""Proof that the site keeps no state of its own: two app servers, one database, one Redis.

Usage: .venv/bin/python benchmarks/two_instances.py [--capacity 5] [--visitors 24]

Creates the PostgreSQL database ``prod_multi``, migrates, creates one event open
to registration with CAPACITY seats and a waiting list, and starts two gunicorn
instances (ports 8210 and 8211, production settings, Redis DB 6) sharing them.
Then, through both instances at once:

1. The event page is cached by both instances. VISITORS people (each with their own address, as nginx would report it in
   X-Forwarded-For) load the form, wait like a human, and submit at the same
   moment. Exactly CAPACITY must be confirmed, the others waitlisted, and the
   event page must show the new figure on both instances at the next request.
2. One address submits 14 times, alternating between the instances: the
   per-address limit (30 an hour) must hold in total, not per instance.
3. One e-mail address submits 8 times from different addresses: the per-e-mail
   limit (5 an hour) must hold in total too.

Exits non-zero when a check fails. Prints a JSON summary on the last line.
"""

import argparse
import concurrent.futures
import http.client
import json
import re
import sys
import time
import urllib.parse
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import flush_redis, gunicorn, manage, production_env, recreate_database, shell_json  # noqa: E402

DATABASE = "prod_multi"
REDIS_URL = "redis://127.0.0.1:6379/6"
PORTS = (8210, 8211)
IP_LIMIT = 30  # registrations.views.IP_RATE
EMAIL_LIMIT = 5

CREATE_EVENT = """
import json
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from events.models import EventIndexPage, EventPage

home = Site.objects.get(is_default_site=True).root_page
agenda = EventIndexPage.objects.child_of(home).first()
if agenda is None:
    agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
event = agenda.add_child(instance=EventPage(
    title="Atelier très demandé", slug="atelier-tres-demande", start=timezone.now() + timedelta(days=7),
    registration_mode="open", capacity=CAPACITY, waitlist_enabled=True, max_seats_per_registration=1,
))
event.save_revision().publish()
print(json.dumps({"event_id": event.pk, "url": event.url}))
"""

COUNT = """
import json
from registrations.models import Registration
rows = Registration.objects.filter(event_id=EVENT_ID).values_list("status", flat=True)
print(json.dumps({status: list(rows).count(status) for status in set(rows)}))
"""


def request(port, method, path, ip, body=None, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "X-Forwarded-For": ip}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    result = (response.status, response.getheaders(), content)
    connection.close()
    return result


def page_text(port, path):
    """The page's HTML and whether the page cache served it (X-Page-Cache: hit/miss)."""
    status, headers, content = request(port, "GET", path, "198.51.100.250")
    assert status == 200, f"{path} answered {status}"
    return content, dict(headers).get("X-Page-Cache", "-")


def load_form(port, event_id, ip):
    """GET the form as a visitor: the CSRF cookie (Secure, so not sent back over plain HTTP by a browser:
    we send it by hand) and the hidden fields."""
    status, headers, content = request(port, "GET", f"/inscription/{event_id}/", ip)
    assert status == 200, f"form answered {status}"
    cookie = next(value.split(";")[0] for name, value in headers if name.lower() == "set-cookie")
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
    return cookie, fields


def submit(port, event_id, ip, email, form):
    cookie, hidden = form
    data = {
        **hidden,
        "first_name": "Camille",
        "last_name": "Essai",
        "email": email,
        "consent": "on",
        "website": "",
    }
    status, headers, _ = request(port, "POST", f"/inscription/{event_id}/", ip, urllib.parse.urlencode(data), cookie)
    return status


def concurrent_registrations(event_id, visitors):
    people = [(PORTS[n % 2], f"198.51.100.{n + 1}", f"personne{n}@example.org") for n in range(visitors)]
    forms = [load_form(port, event_id, ip) for port, ip, _ in people]
    time.sleep(4)  # the form refuses submissions faster than a human (3 s)
    with concurrent.futures.ThreadPoolExecutor(max_workers=visitors) as pool:
        futures = [
            pool.submit(submit, port, event_id, ip, email, form)
            for (port, ip, email), form in zip(people, forms, strict=True)
        ]
        return [future.result() for future in futures]


def repeated(event_id, attempts, ip_for, email_for):
    forms = [load_form(PORTS[n % 2], event_id, ip_for(n)) for n in range(attempts)]
    time.sleep(4)
    return [submit(PORTS[n % 2], event_id, ip_for(n), email_for(n), forms[n]) for n in range(attempts)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--visitors", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = production_env(DATABASE, REDIS_URL, RATELIMIT_ENABLE="true", TASK_BACKEND="django_tasks_db.DatabaseBackend")
    recreate_database(DATABASE)
    flush_redis(REDIS_URL)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    event = shell_json(env, CREATE_EVENT.replace("CAPACITY", str(args.capacity)))
    event_id = event["event_id"]

    checks = {}
    with ExitStack() as servers:
        for port in PORTS:
            servers.enter_context(gunicorn(env, port, args.workers))

        # Both instances cache the event page for anonymous visitors (shared Redis)...
        before = [page_text(port, event["url"]) for port in PORTS for _ in range(2)]
        statuses = concurrent_registrations(event_id, args.visitors)
        # ...and the purge reaches both: the next request shows the new seats-left figure.
        after = [page_text(port, event["url"]) for port in PORTS]
        checks["event_page_cached_before"] = all(
            f"{args.capacity} places restantes" in text for text, _ in before
        ) and [state for _, state in before] == ["miss", "hit", "hit", "hit"]
        checks["seats_left_fresh_on_both"] = all(
            "Complet" in text and f"{args.capacity} places restantes" not in text for text, _ in after
        )
        counts = shell_json(env, COUNT.replace("EVENT_ID", str(event_id)))
        checks["all_submissions_accepted"] = statuses.count(302) == args.visitors
        checks["exactly_capacity_confirmed"] = counts.get("confirmed", 0) == args.capacity
        checks["others_waitlisted"] = counts.get("waitlisted", 0) == args.visitors - args.capacity

        flush_redis(REDIS_URL)  # fresh rate-limit counters for the next two checks
        by_ip = repeated(event_id, IP_LIMIT + 4, lambda n: "203.0.113.50", lambda n: f"meme-ip{n}@example.org")
        checks["ip_limit_shared"] = by_ip.count(429) == 4 and 429 not in by_ip[:IP_LIMIT]

        by_email = repeated(event_id, EMAIL_LIMIT + 3, lambda n: f"192.0.2.{n + 1}", lambda n: "meme@example.org")
        checks["email_limit_shared"] = by_email.count(429) == 3 and 429 not in by_email[:EMAIL_LIMIT]

    summary = {
        "capacity": args.capacity,
        "visitors": args.visitors,
        "registration_statuses": statuses,
        "registrations": counts,
        "same_ip_statuses": by_ip,
        "same_email_statuses": by_email,
        "checks": checks,
    }
    for name, passed in checks.items():
        print(f"{'OK ' if passed else 'FAIL'} {name}", file=sys.stderr)
    print(json.dumps(summary))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
