"""Signed values: the self-service link (from the e-mails), the thank-you cookie and the form's start time.

The value signed in a link is the registration's random token, never its id.
Links carry a timestamp; the self-service link stays valid until
``MANAGE_LINK_DAYS_AFTER_EVENT`` days after the event. The thank-you page
after the form reads the address the mail went to from a short-lived signed
cookie, the same whether the address was new or already registered. The
form's anti-robot start time (signed, single-use) is ``core/antirobot.py``.

The check-in QR code carries the event's id and the registration's token,
signed with their own salt (a self-service link cannot be read as a check-in
code, nor the reverse). It has no timestamp: it is useful on the day only
because the event must match, and it dies with the token when the
registration is erased (``services.anonymize`` draws a new token).
"""

import datetime

from django.core import signing
from django.utils import timezone

from core import antirobot

MANAGE_SALT = "registrations.manage"
THANKS_SALT = "registrations.thanks"
FORM_SALT = "registrations.form-started"
CHECK_IN_SALT = "registrations.check-in"
MANAGE_LINK_DAYS_AFTER_EVENT = 30
MANAGE_LINK_MAX_AGE = datetime.timedelta(days=400)
THANKS_MAX_AGE = datetime.timedelta(hours=2)


class LinkExpired(Exception):
    """The signature is genuine but the link is too old: the person needs a new one."""


def make_manage_value(registration):
    return signing.TimestampSigner(salt=MANAGE_SALT).sign(registration.token)


def read_manage_value(value):
    """The token inside a self-service link; raises BadSignature or LinkExpired."""
    signer = signing.TimestampSigner(salt=MANAGE_SALT)
    try:
        return signer.unsign(value, max_age=MANAGE_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkExpired from error


def manage_link_expired(registration, now=None):
    """Links stop working some time after the event, or the booked date of a series (no use then)."""
    unit = registration.occurrence if registration.occurrence_id else registration.event
    ends = unit.end or unit.start
    return (now or timezone.now()) > ends + datetime.timedelta(days=MANAGE_LINK_DAYS_AFTER_EVENT)


def make_check_in_value(registration):
    """The text of the QR code shown at the door: ``<event id>:<token>:<signature>``."""
    return signing.Signer(salt=CHECK_IN_SALT).sign(f"{registration.event_id}:{registration.token}")


def read_check_in_value(value):
    """(event id, token) inside a scanned code; raises BadSignature when forged, altered or not ours."""
    payload = signing.Signer(salt=CHECK_IN_SALT).unsign(str(value or "").strip())
    event_id, separator, token = payload.partition(":")
    if not separator or not event_id.isdigit() or not token:
        raise signing.BadSignature("malformed check-in value")
    return int(event_id), token


def make_form_started():
    """A signed, single-use timestamp put in the form, to refuse submissions faster than a human."""
    return antirobot.make_started(FORM_SALT)


def form_age_seconds(value):
    """Seconds since the form was displayed, or None if the value was tampered with or is a day old."""
    return antirobot.started_age(value, FORM_SALT)


def claim_form_started(value):
    """True the first time a valid submission uses this start time, False when it is replayed."""
    return antirobot.claim_started(value, FORM_SALT)


def release_form_started(value):
    """The submission was not kept (the service refused it): the same form may be sent again."""
    antirobot.release_started(value, FORM_SALT)
