"""Fire concurrent registrations at a running server and report throughput, latency and outcomes.

Each simulated person does what a browser does: GET the form (CSRF cookie,
token and signed start time), POST it with a unique e-mail address, follow the
redirect to the thank-you page and check it says "Vérifiez votre boîte mail"
(the page is the same whatever the outcome, so that it never tells who is
registered: count confirmed, waiting and pending people in the admin or the
database). The report says whether the event asks for the e-mail click
(``verify_email``: each registration then holds its seat for 30 minutes as
"Adresse à confirmer"); run it once each way. Start the server with ``RATELIMIT_ENABLE=false`` and
``REGISTRATION_MIN_FILL_SECONDS=0`` (otherwise the rate limit and the
anti-robot delay refuse a load test, as they should). Loopback only; the
number of requests and the run time are bounded.

    python benchmarks/registration_load.py --url http://127.0.0.1:8103 --event 12 -n 300 -c 16
"""

import argparse
import http.client
import re
import statistics
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed

MAX_REQUESTS = 5000
MAX_CONCURRENCY = 64
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

OUTCOMES = [("registered", "Vérifiez votre boîte mail")]
# The form says so when the event asks for a click in an e-mail (``verify_email``): reported with the figures.
VERIFICATION_MARKER = 'class="registration-verify"'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="root URL of the server (loopback only)")
    parser.add_argument("--event", type=int, required=True, help="id of the event page")
    parser.add_argument("-n", "--requests", type=int, default=200, help=f"registrations to send (≤ {MAX_REQUESTS})")
    parser.add_argument("-c", "--concurrency", type=int, default=16, help=f"parallel clients (≤ {MAX_CONCURRENCY})")
    parser.add_argument("--time-limit", type=float, default=300, help="stop sending after this many seconds")
    args = parser.parse_args(argv)
    url = urllib.parse.urlsplit(args.url)
    if url.hostname not in LOOPBACK or url.scheme != "http":
        parser.error("only http:// on the loopback interface is allowed")
    if not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.concurrency <= MAX_CONCURRENCY:
        parser.error("requests or concurrency out of bounds")
    return args, url


class Client:
    """One browser-like visitor over a keep-alive connection (cookies handled by hand:
    production cookies are marked Secure, which http.cookiejar refuses to send over http)."""

    def __init__(self, url):
        self.url = url
        self.local = threading.local()

    def connection(self):
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection(self.url.hostname, self.url.port or 80, timeout=60)
        return self.local.conn

    def request(self, method, path, body=None, headers=None):
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise


def cookie_value(headers, name):
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def register_once(client, event_id, n):
    """GET the form, POST it, read the outcome. Returns (outcome, seconds for the POST and its redirect)."""
    path = f"/inscription/{event_id}/"
    status, headers, html = client.request("GET", path)
    if status != 200:
        return f"form_{status}", 0.0
    csrf = cookie_value(headers, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    started = re.search(r'name="started" value="([^"]+)"', html)
    if not (csrf and token and started):
        return "form_closed", 0.0
    fields = {
        "csrfmiddlewaretoken": token.group(1),
        "started": started.group(1),
        "first_name": "Charge",
        "last_name": f"Test {n}",
        "email": f"charge-{uuid.uuid4().hex[:12]}@example.org",
        "consent": "on",
        "website": "",
    }
    for match in re.finditer(r'<input type="radio" name="(q\d+)" value="([^"]+)"', html):
        fields.setdefault(match.group(1), match.group(2))  # answer required choice questions
    body = urllib.parse.urlencode(fields)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf}",
        "Referer": f"{client.url.scheme}://{client.url.netloc}{path}",
    }
    start = time.perf_counter()
    status, response_headers, html = client.request("POST", path, body=body, headers=headers)
    if status != 302:
        return ("rate_limited" if status == 429 else f"post_{status}"), time.perf_counter() - start
    location = {k.lower(): v for k, v in response_headers}["location"]
    status, _, html = client.request("GET", urllib.parse.urlsplit(location).path)
    elapsed = time.perf_counter() - start
    for outcome, marker in OUTCOMES:
        if marker in html:
            return outcome, elapsed
    return "unknown", elapsed


def address_verification(client, event_id):
    """ "on" when the event's form announces the e-mail check, else "off" (read once, before the run)."""
    status, _, html = client.request("GET", f"/inscription/{event_id}/")
    if status != 200:
        return "unknown"
    return "on" if VERIFICATION_MARKER in html else "off"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv=None):
    args, url = parse_args(argv)
    client = Client(url)
    verification = address_verification(client, args.event)
    outcomes = Counter()
    latencies = []
    deadline = time.monotonic() + args.time_limit
    started = time.perf_counter()

    def one(n):
        if time.monotonic() > deadline:
            return "skipped_time_limit", None
        try:
            return register_once(client, args.event, n)
        except (OSError, http.client.HTTPException) as error:
            return f"error_{type(error).__name__}", None

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for future in as_completed(pool.submit(one, n) for n in range(args.requests)):
            outcome, elapsed = future.result()
            outcomes[outcome] += 1
            if elapsed:
                latencies.append(elapsed)
    wall = time.perf_counter() - started
    done = sum(outcomes[o] for o, _ in OUTCOMES)
    print(f"{args.requests} registrations, {args.concurrency} clients, {wall:.1f} s")
    print(f"address verification: {verification}")
    print(f"throughput: {done / wall:.1f} registrations/s (form GET + POST + thank-you page each)")
    if latencies:
        print(
            f"POST→thank-you latency: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, "
            f"mean {statistics.mean(latencies) * 1000:.0f} ms"
        )
    print("outcomes: " + ", ".join(f"{name}={count}" for name, count in sorted(outcomes.items())))
    return 0 if done == args.requests else 1


if __name__ == "__main__":
    sys.exit(main())
