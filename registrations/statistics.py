"""Anonymous statistics rows (``AttendanceRecord``): built from a registration, kept when it is anonymised.

One builder, ``build_records``, turns a registration into one row per person
(its attendees). The funders' figures read the rows already kept for
anonymised registrations plus the builder's output for live ones
(``attendance_records``), so a registration counts the same before and after
``services.anonymize``, which calls ``keep_statistics`` just before erasing
the answers: that is what the proof tests check.

Distinct and returning people: each row carries ``person_hash``, the HMAC-SHA256
of the address (trimmed, lower case, as ``services.normalize_email`` stores it)
with the secret of the reporting year (``ReportingKey``). Within a year the same
address always gives the same pseudonym; across years it never does; once the
key is destroyed (``destroy_reporting_key``) new rows get no pseudonym, so
nothing new can be linked to the rows already kept. Until then the rows are
pseudonymous, not anonymous (docs/privacy.md).

Paying or free (``paying``): the person's tier amount above 0 € and no
exemption of the registration, the rule of ``payments.is_paying``; rows kept
before that column existed stay ``None`` (« non renseigné » in the report).
"""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from core.dates import to_local
from registrations.models import (
    AttendanceRecord,
    Attendee,
    PaymentExemption,
    Registration,
    RegistrationStatus,
    ReportingKey,
    SessionPresence,
)
from registrations.payments import is_paying


def reporting_year(registration):
    """The year (Paris time) of the date booked: the series' date, else the event's start."""
    start = registration.occurrence.start if registration.occurrence_id else registration.event.start
    return to_local(start).year


def year_secrets(years):
    """{year: secret} for the given years, creating missing keys; a destroyed key gives ""."""
    years = set(years)
    found = {key.year: key.secret for key in ReportingKey.objects.filter(year__in=years)}
    for year in years - found.keys():
        key, _created = ReportingKey.objects.get_or_create(year=year, defaults={"secret": secrets.token_hex(32)})
        found[year] = key.secret
    return found


def person_hash(email, secret):
    """The pseudonym of an address for one year; "" without an address or without a key."""
    address = (email or "").strip().lower()
    if not address or not secret:
        return ""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def _attendee_status(registration, attendee):
    return RegistrationStatus.CANCELLED if attendee.cancelled_at else registration.status


def build_records(registration, secret):
    """Unsaved rows, one per attendee of ``registration`` (attendees and their presences prefetched)."""
    year = reporting_year(registration)
    exempt = _is_exempt(registration)
    rows = []
    for attendee in registration.attendees.all():
        sessions = sorted(presence.session_id for presence in attendee.session_presences.all())
        registrant = attendee.position == 1
        rows.append(
            AttendanceRecord(
                event_id=registration.event_id,
                occurrence_id=registration.occurrence_id,
                year=year,
                status=_attendee_status(registration, attendee),
                present=attendee.checked_in_at is not None or bool(sessions),
                sessions=sessions,
                answers=dict(registration.audience) if registrant else {},
                is_registrant=registrant,
                person_hash=person_hash(registration.email if registrant else attendee.email, secret),
                paying=is_paying(attendee.price_amount, exempt=exempt),
            )
        )
    return rows


def _is_exempt(registration):
    try:
        return registration.payment_exemption is not None
    except PaymentExemption.DoesNotExist:
        return False


def with_people(registrations):
    """The queryset with what ``build_records`` reads, in a fixed number of queries."""
    attendees = Attendee.objects.order_by("position", "pk").prefetch_related(
        Prefetch("session_presences", SessionPresence.objects.only("id", "attendee_id", "session_id"))
    )
    return registrations.select_related("event", "occurrence", "payment_exemption").prefetch_related(
        Prefetch("attendees", attendees)
    )


def attendance_records(event_ids):
    """Every row of these events: kept ones for anonymised registrations, built ones for live registrations."""
    kept = list(AttendanceRecord.objects.filter(event_id__in=event_ids).order_by("pk"))
    live = list(with_people(Registration.objects.filter(event_id__in=event_ids, anonymized_at__isnull=True)))
    keys = year_secrets({reporting_year(registration) for registration in live})
    built = [row for registration in live for row in build_records(registration, keys[reporting_year(registration)])]
    return kept + built


def keep_statistics(registration):
    """Store the anonymous rows of a registration about to be anonymised (in the caller's transaction)."""
    registration = with_people(Registration.objects.filter(pk=registration.pk)).get()
    year = reporting_year(registration)
    AttendanceRecord.objects.bulk_create(build_records(registration, year_secrets([year])[year]))


def destroy_reporting_key(year):
    """Erase the year's secret for good: rows written afterwards carry no pseudonym. Returns True if it existed."""
    with transaction.atomic():
        key, _created = ReportingKey.objects.select_for_update().get_or_create(year=year)
        existed = bool(key.secret)
        key.secret = ""
        key.destroyed_at = key.destroyed_at or timezone.now()
        key.save(update_fields=["secret", "destroyed_at"])
    return existed
