"""Signed links: self-service (from the e-mails) and the thank-you page (after the form).

The value signed is the registration's random token, never its id. Links
carry a timestamp; the self-service link stays valid until
``MANAGE_LINK_DAYS_AFTER_EVENT`` days after the event, the thank-you link a
couple of hours (it is only meant for the redirect after the form).
"""

import datetime

from django.core import signing
from django.utils import timezone

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


def make_thanks_value(registration):
    return signing.TimestampSigner(salt=THANKS_SALT).sign(registration.token)


def read_thanks_value(value):
    return signing.TimestampSigner(salt=THANKS_SALT).unsign(value, max_age=THANKS_MAX_AGE)


def make_form_started():
    """A signed timestamp put in the form, to refuse submissions faster than a human."""
    return signing.TimestampSigner(salt=FORM_SALT).sign("form")


def form_age_seconds(value):
    """Seconds since the form was displayed, or None if the value was tampered with or is a day old."""
    signer = signing.TimestampSigner(salt=FORM_SALT)
    try:
        signer.unsign(value, max_age=datetime.timedelta(days=1))
        _, timestamp, _ = value.rsplit(signer.sep, 2)
        return timezone.now().timestamp() - signing.b62_decode(timestamp)
    except (signing.BadSignature, ValueError):
        return None
