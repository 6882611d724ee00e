"""Signed values: the self-service link (from the e-mails), the thank-you cookie and the form's start time.

The value signed in a link is the registration's random token, never its id.
Links carry a timestamp; the self-service link stays valid until
``MANAGE_LINK_DAYS_AFTER_EVENT`` days after the event. The thank-you page
after the form reads the address the mail went to from a short-lived signed
cookie, the same whether the address was new or already registered. The
form's anti-robot start time (signed, single-use) is ``core/antirobot.py``.
"""

import datetime

from django.core import signing
from django.utils import timezone

from core import antirobot

MANAGE_SALT = "registrations.manage"
THANKS_SALT = "registrations.thanks"
FORM_SALT = "registrations.form-started"
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
    """Links stop working some time after the event (the registration has no use then)."""
    event = registration.event
    ends = event.end or event.start
    return (now or timezone.now()) > ends + datetime.timedelta(days=MANAGE_LINK_DAYS_AFTER_EVENT)


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
