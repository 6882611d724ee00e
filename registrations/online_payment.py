"""Online payment: the provider interface and its one implementation, HelloAsso Checkout.

Only the conversation with the provider lives here: creating a checkout,
asking what became of it, reading a notification. Every decision (what is
owed, the seat held then confirmed or released, the ``Payment`` recorded once)
is taken by ``services.start_online_checkout`` / ``confirm_online_checkout``.

Off unless configured: ``configured_provider()`` is None until
``HELLOASSO_CLIENT_ID``, ``HELLOASSO_CLIENT_SECRET`` and
``HELLOASSO_ORGANIZATION_SLUG`` are set (README, « Configuration »). We never
see card data: the person pays on HelloAsso's own page.

Written against HelloAsso's public documentation (dev.helloasso.com, API v5):

- token: ``POST {API}/oauth2/token`` (form-encoded ``grant_type=client_credentials``,
  ``client_id``, ``client_secret``) → ``access_token``, ``expires_in``; kept in the
  cache until a minute before it expires (HelloAsso asks to reuse tokens);
- create: ``POST {API}/v5/organizations/{slug}/checkout-intents`` with
  ``totalAmount`` and ``initialAmount`` in cents, ``itemName``, ``backUrl``,
  ``errorUrl``, ``returnUrl``, ``containsDonation`` (false), ``payer``
  (firstName, lastName, email) and ``metadata`` → ``id``, ``redirectUrl``;
- confirm: ``GET {API}/v5/organizations/{slug}/checkout-intents/{id}`` → the
  ``metadata`` sent and, only once the payment is authorised, the ``order``
  with its ``payments`` (``amount`` in cents, ``state`` « Authorized »);
- notifications (« URL de notification » of the association's account):
  JSON posted with ``eventType`` (« Order », « Payment », « Form »…),
  ``data`` and the checkout's ``metadata``. HelloAsso signs them (header
  ``x-ha-signature``: HMAC-SHA256 of the body with the URL's
  ``signatureKey``) only for partner accounts so far: the signature is checked
  when ``HELLOASSO_SIGNATURE_KEY`` is set, and in every case the body is never
  trusted — the checkout is fetched again from the API with our token.

Not confirmed from the documentation, hence not relied on: the query string
HelloAsso adds to ``returnUrl`` / ``errorUrl`` (we put our own reference in
the path and ask the API), the exact place of ``checkoutIntentId`` in a
notification's ``data`` (we use our ``metadata.reference``), and the length
limit of ``itemName`` (we send at most 250 characters).
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from registrations.choices import OnlinePayment

logger = logging.getLogger(__name__)

CENTS = Decimal(100)
ITEM_NAME_LENGTH = 250
# A token is dropped this many seconds before HelloAsso says it expires.
TOKEN_MARGIN = 60
PAID_STATES = {"Authorized"}


class ProviderError(Exception):
    """The provider could not be reached or refused the call; ``message`` (French) is shown to the person."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class ForgedNotification(Exception):
    """A notification we refuse: ``status`` 403 (bad signature) or 400 (unreadable, unknown, not matching)."""

    def __init__(self, reason, status=400):
        self.reason = reason
        self.status = status
        super().__init__(reason)


@dataclass(frozen=True)
class CheckoutUrls:
    """Where the provider sends the person back: paid (``return_url``), error, or « back » (gave up)."""

    return_url: str
    error_url: str
    back_url: str


@dataclass(frozen=True)
class Checkout:
    """A checkout just created: the provider's id and the page to send the person to."""

    id: str
    redirect_url: str


@dataclass(frozen=True)
class CheckoutStatus:
    """What the provider says of a checkout: paid or not, the amount paid (euros), the metadata we sent."""

    id: str
    paid: bool
    amount: Decimal | None = None
    metadata: dict = field(default_factory=dict)
    order_id: str = ""


@dataclass(frozen=True)
class Notification:
    """A notification read (its signature checked): which of our checkouts it names, if any."""

    event_type: str
    reference: str


class PaymentProvider(Protocol):
    name: str

    def create_checkout(self, *, amount, item_name, payer, urls, metadata) -> Checkout: ...

    def fetch_checkout(self, checkout_id) -> CheckoutStatus: ...

    def parse_notification(self, body, headers) -> Notification | None: ...


def to_cents(amount):
    """Euros (Decimal) to whole cents, as HelloAsso counts."""
    return int((Decimal(amount) * CENTS).to_integral_value())


def from_cents(cents):
    return (Decimal(int(cents)) / CENTS).quantize(Decimal("0.01"))


UNREACHABLE = _(
    "Le service de paiement HelloAsso ne répond pas pour le moment. Rien n'a été débité : "
    "réessayez dans quelques minutes."
)


class HelloAsso:
    """HelloAsso Checkout over HTTPS, with the standard library only (a timeout on every call)."""

    name = "helloasso"

    def __init__(self, *, client_id, client_secret, organization_slug, api_url, signature_key="", timeout=10.0):
        self.client_id = client_id
        self.client_secret = client_secret
        self.organization_slug = organization_slug
        if urllib.parse.urlsplit(api_url).scheme not in ("https", "http"):
            raise ImproperlyConfigured("HELLOASSO_API_URL must be an http(s) URL.")
        self.api_url = api_url.rstrip("/")
        self.signature_key = signature_key
        self.timeout = timeout

    # -- HTTP

    def _call(self, method, path, *, form=None, body=None, token=None):
        headers = {"Accept": "application/json"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # The scheme is checked in __init__ (http or https only).
        request = urllib.request.Request(self.api_url + path, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - our configured URL
                payload = response.read()
        except urllib.error.HTTPError as error:
            logger.warning("HelloAsso %s %s answered %s", method, path, error.code)
            if error.code in (401, 403):
                cache.delete(self._token_key)
            raise ProviderError(self._refusal(error.code)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            logger.warning("HelloAsso %s %s unreachable: %s", method, path, error)
            raise ProviderError(UNREACHABLE) from None
        try:
            return json.loads(payload or b"{}")
        except ValueError:
            raise ProviderError(UNREACHABLE) from None

    @staticmethod
    def _refusal(code):
        if code >= 500:
            return UNREACHABLE
        return _(
            "Le service de paiement HelloAsso a refusé la demande. Rien n'a été débité : réessayez, ou "
            "choisissez de payer sur place en écrivant à l'équipe."
        )

    @property
    def _token_key(self):
        return f"helloasso-token:{self.client_id}"

    def _token(self):
        token = cache.get(self._token_key)
        if token:
            return token
        answer = self._call(
            "POST",
            "/oauth2/token",
            form={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
        )
        token = answer.get("access_token")
        if not token:
            raise ProviderError(UNREACHABLE)
        lifetime = int(answer.get("expires_in") or 0) - TOKEN_MARGIN
        if lifetime > 0:
            cache.set(self._token_key, token, lifetime)
        return token

    def _intents_path(self, checkout_id=None):
        path = f"/v5/organizations/{urllib.parse.quote(self.organization_slug)}/checkout-intents"
        return path if checkout_id is None else f"{path}/{urllib.parse.quote(str(checkout_id))}"

    # -- the interface

    def create_checkout(self, *, amount, item_name, payer, urls, metadata):
        cents = to_cents(amount)
        body = {
            "totalAmount": cents,
            "initialAmount": cents,
            "itemName": item_name[:ITEM_NAME_LENGTH],
            "backUrl": urls.back_url,
            "errorUrl": urls.error_url,
            "returnUrl": urls.return_url,
            "containsDonation": False,
            "payer": {key: value for key, value in payer.items() if value},
            "metadata": metadata,
        }
        answer = self._call("POST", self._intents_path(), body=body, token=self._token())
        if not answer.get("id") or not answer.get("redirectUrl"):
            raise ProviderError(UNREACHABLE)
        return Checkout(id=str(answer["id"]), redirect_url=answer["redirectUrl"])

    def fetch_checkout(self, checkout_id):
        answer = self._call("GET", self._intents_path(checkout_id), token=self._token())
        order = answer.get("order") or {}
        paid_cents = sum(
            int(payment.get("amount") or 0)
            for payment in order.get("payments") or []
            if payment.get("state") in PAID_STATES
        )
        return CheckoutStatus(
            id=str(answer.get("id", checkout_id)),
            paid=bool(order) and paid_cents > 0,
            amount=from_cents(paid_cents) if paid_cents else None,
            metadata=answer.get("metadata") or {},
            order_id=str(order.get("id", "")),
        )

    def parse_notification(self, body, headers):
        """The notification's event and our reference, or None when it is not about one of our checkouts.

        Raises ``ForgedNotification`` for a bad signature (when a key is set) or an unreadable body.
        """
        if self.signature_key:
            received = (headers.get("x-ha-signature") or "").strip().lower()
            expected = hmac.new(self.signature_key.encode(), body, hashlib.sha256).hexdigest()
            if not received or not hmac.compare_digest(received, expected):
                raise ForgedNotification("bad signature", status=403)
        try:
            payload = json.loads(body)
        except ValueError:
            raise ForgedNotification("unreadable body") from None
        if not isinstance(payload, dict):
            raise ForgedNotification("unreadable body")
        event_type = str(payload.get("eventType", ""))
        metadata = payload.get("metadata")
        reference = metadata.get("reference") if isinstance(metadata, dict) else None
        if event_type not in ("Order", "Payment") or reference is None:
            return None  # another campaign of the association, or a form change: not ours
        return Notification(event_type=event_type, reference=str(reference))


def configured_provider():
    """The HelloAsso provider from the settings, or None when online payment is not configured."""
    if not (settings.HELLOASSO_CLIENT_ID and settings.HELLOASSO_CLIENT_SECRET and settings.HELLOASSO_ORGANIZATION_SLUG):
        return None
    return HelloAsso(
        client_id=settings.HELLOASSO_CLIENT_ID,
        client_secret=settings.HELLOASSO_CLIENT_SECRET,
        organization_slug=settings.HELLOASSO_ORGANIZATION_SLUG,
        api_url=settings.HELLOASSO_API_URL,
        signature_key=settings.HELLOASSO_SIGNATURE_KEY,
        timeout=settings.HELLOASSO_TIMEOUT,
    )


def payment_mode(event, tiers):
    """How this event takes payment now: ``OnlinePayment.OFF`` unless the site is configured, the event
    asks for it and one of its ``tiers`` costs something; else the event's own choice."""
    if event.online_payment == OnlinePayment.OFF or configured_provider() is None:
        return OnlinePayment.OFF
    if not any(tier.amount > 0 for tier in tiers):
        return OnlinePayment.OFF
    return event.online_payment
