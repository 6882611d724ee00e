"""The anti-robot start time of the public forms: signed, and accepted once.

A public form (registration, contact) carries the moment it was shown, signed
so that it cannot be forged. A submission is refused when it comes faster
than a person types, when the value is a day old or tampered with, and, once
a submission with it has been accepted, when the same value comes again: a
robot cannot fetch the form once and replay its start time for a day, it has
to load the form for every post (which the per-address rate limits count).

The "already used" mark lives in the shared cache (Redis in production, so
every app server sees it). When the cache is down the check fails open with a
log line: a form that cannot be checked for reuse still goes through, the
signature and the delay are still checked, and the rate limits remain.
"""

import datetime
import hashlib
import logging
import secrets

from django.core import signing
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_AGE = datetime.timedelta(days=1)
# The mark outlives the value it refuses (after MAX_AGE the signature refuses it anyway).
USED_MARK_SECONDS = int(MAX_AGE.total_seconds()) + 300


def make_started(salt):
    """A fresh signed start time; the random part makes every displayed form's value unique."""
    return signing.TimestampSigner(salt=salt).sign(secrets.token_urlsafe(9))


def started_age(value, salt):
    """Seconds since the form was shown, or None if the value was tampered with or is over a day old."""
    signer = signing.TimestampSigner(salt=salt)
    try:
        signer.unsign(value, max_age=MAX_AGE)
        _, timestamp, _ = value.rsplit(signer.sep, 2)
        return timezone.now().timestamp() - signing.b62_decode(timestamp)
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None


def _used_key(value, salt):
    return "antirobot:" + hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def claim_started(value, salt):
    """Mark a genuine start time as used: True the first time, False for a replay (True if the cache is down)."""
    try:
        return bool(cache.add(_used_key(value, salt), 1, timeout=USED_MARK_SECONDS))
    except Exception:
        logger.warning("Anti-robot start time not checked for reuse: the cache is unavailable", exc_info=True)
        return True


def release_started(value, salt):
    """Make a start time usable again, when the submission that claimed it was not kept after all."""
    try:
        cache.delete(_used_key(value, salt))
    except Exception:
        logger.warning("Anti-robot start time not released: the cache is unavailable", exc_info=True)
