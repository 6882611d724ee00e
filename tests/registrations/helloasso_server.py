"""A local HTTP server that speaks HelloAsso Checkout's protocol, for the online-payment tests.

It serves what ``registrations/online_payment.py`` calls, as HelloAsso's
documentation describes it: ``POST /oauth2/token`` (client_credentials,
form-encoded), ``POST /v5/organizations/<slug>/checkout-intents`` (JSON, a
bearer token, amounts in cents) answering ``id`` and ``redirectUrl``, and
``GET /v5/organizations/<slug>/checkout-intents/<id>`` answering the metadata
and, once paid, the ``order`` with its ``payments``. It refuses what the real
API would (no token, wrong slug, unknown id, inconsistent amounts), so a
client that cuts corners fails here too. ``pay`` plays the person paying on
HelloAsso's page.
"""

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "client-test"
CLIENT_SECRET = "secret-test"  # noqa: S105 - a test double's credentials
SLUG = "la-coursive-boutaric"
SIGNATURE_KEY = "cle-de-signature-de-test"


class FakeHelloAsso:
    def __init__(self):
        self.intents = {}
        self.tokens = set()
        self.requests = []
        self.delay = 0.0
        self.next_id = 41000
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def pay(self, intent_id, cents=None, state="Authorized"):
        """The person pays on HelloAsso's page: the intent gets its order (``cents`` to pay another amount)."""
        with self.lock:
            intent = self.intents[int(intent_id)]
            amount = intent["body"]["totalAmount"] if cents is None else cents
            intent["order"] = {
                "id": intent["id"] + 500000,
                "checkoutIntentId": intent["id"],
                "formType": "Checkout",
                "amount": {"total": amount, "vat": 0, "discount": 0},
                "payments": [{"id": intent["id"] + 900000, "amount": amount, "state": state, "paymentMeans": "Card"}],
            }

    def notification(self, intent_id, *, metadata=None):
        """The body HelloAsso posts once a checkout is paid (eventType « Payment », our metadata)."""
        intent = self.intents[int(intent_id)]
        order = intent.get("order") or {"id": 1, "payments": []}
        payload = {
            "eventType": "Payment",
            "data": {
                "order": {"id": order["id"], "formType": "Checkout", "organizationSlug": SLUG},
                "amount": intent["body"]["totalAmount"],
                "state": "Authorized",
            },
            "metadata": intent["body"]["metadata"] if metadata is None else metadata,
        }
        return json.dumps(payload).encode()

    @staticmethod
    def sign(body, key=SIGNATURE_KEY):
        return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload=None):
                body = json.dumps(payload or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self):
                header = self.headers.get("Authorization", "")
                return header.startswith("Bearer ") and header[7:] in fake.tokens

            def _intents_path(self):
                parts = self.path.split("?")[0].strip("/").split("/")
                if parts[:2] != ["v5", "organizations"] or len(parts) < 4 or parts[3] != "checkout-intents":
                    return None, None
                return parts[2], parts[4] if len(parts) > 4 else None

            def do_POST(self):
                time.sleep(fake.delay)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fake.requests.append(("POST", self.path))
                if self.path == "/oauth2/token":
                    form = dict(urllib.parse.parse_qsl(raw.decode()))
                    if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                        return self._answer(400, {"error": "invalid_request"})
                    if form != {
                        "grant_type": "client_credentials",
                        "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET,
                    }:
                        return self._answer(400, {"error": "invalid_client"})
                    token = f"jeton-{len(fake.tokens) + 1}"
                    fake.tokens.add(token)
                    return self._answer(200, {"access_token": token, "token_type": "bearer", "expires_in": 1800})
                slug, intent_id = self._intents_path()
                if slug is None or intent_id is not None:
                    return self._answer(404)
                if not self._authorised():
                    return self._answer(401)
                if slug != SLUG:
                    return self._answer(403)
                body = json.loads(raw)
                required = ("totalAmount", "initialAmount", "itemName", "backUrl", "errorUrl", "returnUrl")
                valid = (
                    all(body.get(key) not in (None, "") for key in required)
                    and isinstance(body["totalAmount"], int)
                    and body["totalAmount"] == body["initialAmount"] > 0
                    and body.get("containsDonation") is False
                )
                if not valid:
                    return self._answer(400, {"errors": [{"message": "invalid body"}]})
                with fake.lock:
                    fake.next_id += 1
                    new_id = fake.next_id
                    fake.intents[new_id] = {"id": new_id, "body": body, "order": None}
                return self._answer(200, {"id": new_id, "redirectUrl": f"{fake.url}/paiement/{new_id}"})

            def do_GET(self):
                time.sleep(fake.delay)
                fake.requests.append(("GET", self.path))
                slug, intent_id = self._intents_path()
                if slug is None or intent_id is None:
                    return self._answer(404)
                if not self._authorised():
                    return self._answer(401)
                if slug != SLUG:
                    return self._answer(403)
                intent = fake.intents.get(int(intent_id)) if intent_id.isdigit() else None
                if intent is None:
                    return self._answer(404)
                answer = {
                    "id": intent["id"],
                    "redirectUrl": f"{fake.url}/paiement/{intent['id']}",
                    "metadata": intent["body"].get("metadata"),
                }
                if intent["order"]:
                    answer["order"] = intent["order"]
                return self._answer(200, answer)

        return Handler
