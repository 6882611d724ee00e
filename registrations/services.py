"""Registration rules: capacity, waiting list, offers, verified addresses, approval, cancellation.

Every decision about a seat is taken here, on one bookable unit
(``registrations.booking.BookableUnit``: an event, or one date of a series)
under that unit's lock inside a transaction (the pretix way: lock, re-read,
decide, write). Views, admin actions and commands only call these functions and
show the French message of the ``RegistrationError`` they may raise.

Locking: on PostgreSQL the unit's own row (``events_eventpage``, or
``events_occurrence`` for a date of a series) is locked with
``SELECT … FOR UPDATE OF`` so that every seat decision for one unit is
serialised while other events, and the other dates of a series, stay free. On
SQLite ``select_for_update`` is a no-op, but the settings open every
transaction with ``BEGIN IMMEDIATE``, which takes the database write lock at
once: the same serialisation, database-wide.

Seats held (``figures.held_seats``): confirmed registrations, plus offers and
unconfirmed addresses until their deadline (``expires_at``). Seats left =
capacity − seats held, the one figure of the public badge, the admin tiles and
every decision below.

Allocation rule (``ALLOCATION_RULE``, in ``_promote_locked``): no seat stays
empty while a waiting request fits it. The waiting list is walked in the order
people registered (``created_at``, then ``id``); each request that fits the
seats still free gets them, a request too large is skipped (it keeps its rank)
and the walk goes on. A newcomer takes a seat only when nobody waiting fits.

Offers (``waitlist_offers``, on by default): a waiting person given seats is
first *offered* them for ``offer_deadline`` (the event's hours, shortened near
the event) and the seats are held meanwhile; they accept or decline through
their signed link. In the last ``IMMEDIATE_CONFIRMATION_BEFORE`` hours, or when
offers are off, the seats are confirmed at once, as before.

Verified addresses (``verify_email``): a web registration waits
``VERIFICATION_TIME`` (30 minutes) for the click on the link of its e-mail, holding its
seats when it got some; the click decides it like a new registration would
(confirmed, or pending in review mode, or waitlisted), keeping the held seats.

Expiry: an offer or hold past its deadline holds nothing in any figure at once;
it is released (cancelled, the person told, the seat passed on) under the lock
by the next seat decision of the event, by the next public read of its
availability, or by the ``expire_holds`` command that cron runs.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import log_actions
from wagtail.models import ModelLogEntry

from core.compiled_queries import CompiledAggregate
from core.dates import format_datetime
from core.text import clean_line
from core.validators import validate_deliverable_email
from events.models import EventPage, EventSchedule, EventStatus, Occurrence, OccurrenceStatus
from registrations import payments, proofs, tokens
from registrations.booking import BookableUnit, NotBookable, registrations_of_event, registrations_of_occurrence
from registrations.emails import queue_email
from registrations.figures import expired, held_seats, seat_aggregates
from registrations.models import (
    ACTIVE_STATUSES,
    EXPIRING_STATUSES,
    Attendee,
    CheckoutState,
    EventChangeSnapshot,
    OnlineCheckout,
    PaymentMethod,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    SessionPresence,
    companion_placeholder,
    new_token,
)
from registrations.online_payment import ProviderError
from registrations.signals import availability_changed
from registrations.staff_notices import queue_request_notice
from registrations.statistics import keep_statistics

# The allocation rule in one sentence, shown to staff beside the figures of each event.
ALLOCATION_RULE = gettext_lazy(
    "Chaque place libre va, dans l'ordre d'inscription, à la première personne de la liste d'attente "
    "dont la demande tient dans les places restantes (une demande plus grande garde son rang sans "
    "bloquer les suivantes) ; une nouvelle inscription n'obtient une place que si personne en attente "
    "ne peut la prendre."
)
# In the last hours before the event an offer could not be answered in time: seats are confirmed at once.
IMMEDIATE_CONFIRMATION_BEFORE = datetime.timedelta(hours=6)
# An offer shorter than this cannot reasonably be answered (people read their mail a few times a day).
MINIMUM_OFFER = datetime.timedelta(hours=1)
# The offer reminder leaves this long before the deadline, for offers made at least this long ago.
OFFER_REMINDER_BEFORE = datetime.timedelta(hours=3)
# How long a web registration waits for the click that proves its address (seats held meanwhile).
VERIFICATION_TIME = datetime.timedelta(minutes=30)
# How long a seat waits for its online payment (HelloAsso) before it goes back to the others.
PAYMENT_TIME = datetime.timedelta(minutes=30)

# ---------------------------------------------------------------------------
# Domain errors


class RegistrationError(Exception):
    """A rule refused the action; ``message`` is shown to the person as is (French)."""

    default_message = gettext_lazy("L'inscription n'a pas pu être enregistrée.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)


class RegistrationClosed(RegistrationError):
    default_message = gettext_lazy("Les inscriptions à cet événement sont closes.")


class RegistrationNotOpenYet(RegistrationError):
    default_message = gettext_lazy("Les inscriptions à cet événement ne sont pas encore ouvertes.")


class EventFull(RegistrationError):
    default_message = gettext_lazy("Cet événement est complet.")


class TierFull(RegistrationError):
    """The tier asked has no seat left under its quota (``payments.full_tier``); the message names the others."""

    default_message = gettext_lazy("Il ne reste plus de place à ce tarif.")


class TooManySeats(RegistrationError):
    default_message = gettext_lazy("Le nombre de places demandé n'est pas possible.")


class AlreadyRegistered(RegistrationError):
    """Carries the existing active registration (``.registration``)."""

    default_message = gettext_lazy("Une inscription existe déjà avec cette adresse e-mail pour cet événement.")

    def __init__(self, registration, message=None):
        self.registration = registration
        super().__init__(message)


class InvalidTransition(RegistrationError):
    default_message = gettext_lazy("Cette action n'est pas possible pour cette inscription.")


class InvalidCheckInCode(RegistrationError):
    """A scanned code that lets nobody in (bad signature, another event, seat not confirmed)."""

    default_message = gettext_lazy("Ce code ne permet pas d'entrer : cherchez la personne par son nom.")


class CheckoutMismatch(RegistrationError):
    """What the provider says of a checkout does not match ours (amount, reference): nothing is changed."""

    default_message = gettext_lazy("Ce paiement ne correspond pas à l'inscription : rien n'a été enregistré.")


class OfferExpired(InvalidTransition):
    """The offer's or the address check's deadline passed: the seat went back to the others."""

    default_message = gettext_lazy(
        "Le délai pour répondre est passé : la place retenue pour vous a été libérée. "
        "Vous pouvez vous inscrire de nouveau depuis la page de l'événement."
    )


# ---------------------------------------------------------------------------
# Reading seats and availability


def _unit(event, occurrence=None):
    """The unit to read (no check: a series read without a date simply has no registrations of its own)."""
    if occurrence is not None and occurrence.event_id == event.pk:
        occurrence.event = event  # the settings and the fallback capacity come from the row the caller holds
    return BookableUnit(event, occurrence)


def _bookable(event, occurrence):
    """The unit to decide on, or the French refusal when the (event, date) pair cannot be booked."""
    try:
        return BookableUnit.of(event, occurrence)
    except NotBookable as error:
        raise RegistrationClosed(error.message) from None


def seats_taken(event, now=None, *, occurrence=None):
    """Seats held at ``now`` (``figures.held_seats``) in the unit: confirmed, offered, or held for an address's click.

    An event never saved (an editor previewing a new page) has no registrations.
    """
    unit = _unit(event, occurrence)
    if not unit.saved:
        return 0
    return unit.registrations.aggregate(taken=held_seats(now or timezone.now()))["taken"]


def seats_remaining(event, now=None, *, occurrence=None):
    """Seats still free in the unit, or None when it has no capacity limit."""
    unit = _unit(event, occurrence)
    if unit.capacity is None:
        return None
    return max(unit.capacity - seats_taken(event, now, occurrence=occurrence), 0)


EMPTY_COUNTS = {"held": 0, "waiting": 0, "smallest_waiting": None, "expired": 0}


def _seat_counts(unit, now):
    """``figures.seat_aggregates`` of the unit in one query: what the public pages need on every view.

    Its SQL is built once per process (``core.compiled_queries``): every event page and decision reads it.
    """
    if not unit.saved:
        return dict(EMPTY_COUNTS)
    if unit.occurrence is not None:
        return OCCURRENCE_SEAT_COUNTS.values(unit.occurrence.pk, now)
    return EVENT_SEAT_COUNTS.values(unit.event.pk, now)


EVENT_SEAT_COUNTS = CompiledAggregate(
    lambda event_id, now: registrations_of_event(event_id).aggregate(**seat_aggregates(now)), int, datetime.datetime
)
OCCURRENCE_SEAT_COUNTS = CompiledAggregate(
    lambda occurrence_id, now: registrations_of_occurrence(occurrence_id).aggregate(**seat_aggregates(now)),
    int,
    datetime.datetime,
)


def _needs_allocation(unit, counts, now):
    """True when the rule is not met yet: a hold has expired, or someone waiting fits the free seats."""
    if counts["expired"]:
        return True
    if unit.capacity is None or counts["smallest_waiting"] is None:
        return False
    if unit.start <= now or unit.is_cancelled:  # nobody is promoted then
        return False
    return counts["smallest_waiting"] <= unit.capacity - counts["held"]


def registration_window(event, occurrence=None):
    """(opens_at, closes_at) of the unit.

    Opening is the event's (one date for the whole series). Closing is the
    event's ``registration_closes_at``, else the start of the event; for a date
    of a series it is that date's start, or the event's closing date when that
    comes earlier (an editor closing the whole series closes every date).
    """
    if occurrence is None:
        return event.registration_opens_at, event.registration_closes_at or event.start
    closes_at = occurrence.start
    if event.registration_closes_at and event.registration_closes_at < closes_at:
        closes_at = event.registration_closes_at
    return event.registration_opens_at, closes_at


@dataclass(frozen=True)
class Availability:
    """What the event page and the form say about registering right now."""

    # none, external, not_yet_open, open, full_waitlist, full, closed, cancelled_event,
    # dates (a series: each date has its own availability, see ``occurrence_availabilities``)
    state: str
    message: str
    seats_remaining: int | None = None
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None

    @property
    def accepts_registrations(self):
        """True when the form may be shown (a place or a spot on the waiting list)."""
        return self.state in ("open", "full_waitlist")


def _counts_seats(unit):
    """True when the unit's seats come from registrations taken here (a capacity, our own form)."""
    return unit.capacity is not None and unit.event.registration_mode not in (
        RegistrationMode.NONE,
        RegistrationMode.EXTERNAL,
    )


def _is_series(event):
    return event.schedule == EventSchedule.SERIES


def availabilities(events, now=None):
    """``availability`` of many events (the agenda's cards) with one aggregate query for all their seats.

    Returns ``{event.pk: Availability}``. The decision stays ``availability``'s:
    only the reading of the counts is grouped. A series counts no seats of its
    own (state ``dates``): its dates do (``occurrence_availabilities``).
    """
    now = now or timezone.now()
    events = list(events)
    counted = [event.pk for event in events if not _is_series(event) and _counts_seats(BookableUnit(event))]
    counts = {}
    if counted:
        rows = (
            Registration.objects.filter(event_id__in=counted, occurrence__isnull=True)
            .values("event_id")
            .order_by()
            .annotate(**seat_aggregates(now))
        )
        counts = {row.pop("event_id"): row for row in rows}
    return {event.pk: availability(event, now, counts=counts.get(event.pk, EMPTY_COUNTS)) for event in events}


def occurrence_availabilities(event, occurrences, now=None):
    """``availability`` of several dates of one series, ``{occurrence.pk: Availability}``, with one query for all.

    The event page's list of dates: its query count does not grow with the number of dates.
    """
    now = now or timezone.now()
    occurrences = list(occurrences)
    counts = {}
    if occurrences and event.registration_mode not in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):
        rows = (
            Registration.objects.filter(occurrence_id__in=[o.pk for o in occurrences])
            .values("occurrence_id")
            .order_by()
            .annotate(**seat_aggregates(now))
        )
        counts = {row.pop("occurrence_id"): row for row in rows}
    return {
        occurrence.pk: availability(event, now, counts=counts.get(occurrence.pk, EMPTY_COUNTS), occurrence=occurrence)
        for occurrence in occurrences
    }


@dataclass(frozen=True)
class DateChoice:
    """One date of a series as the event page offers it: the date and its own availability."""

    occurrence: Occurrence
    availability: Availability

    @property
    def unit(self):
        return BookableUnit(self.occurrence.event, self.occurrence)


def series_dates(event, now=None, limit=None):
    """The dates of a series still to come (cancelled ones included, said so), each with its availability.

    Two queries whatever the number of dates: the dates, then the seats of all
    of them. ``limit``: at most that many, the first ones.
    """
    now = now or timezone.now()
    if event.pk is None:
        return []
    occurrences = event.occurrences.filter(start__gt=now).select_related("venue").order_by("start", "pk")
    occurrences = list(occurrences[:limit] if limit is not None else occurrences)
    for occurrence in occurrences:
        occurrence.event = event
    states = occurrence_availabilities(event, occurrences, now)
    return [DateChoice(occurrence, states[occurrence.pk]) for occurrence in occurrences]


def availability(event, now=None, counts=None, *, occurrence=None):
    """The registration state of an event (or one date of a series), a short French sentence and the seats left.

    ``seats_remaining`` is set whenever the unit has a capacity (it feeds the
    page's JSON-LD too); None means unlimited. ``counts``: the unit's
    ``seat_aggregates`` when already read (``availabilities``), else one query.
    A series without a date says ``dates``: one registers for a date.
    """
    now = now or timezone.now()
    mode = event.registration_mode
    if occurrence is None and _is_series(event) and mode not in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):
        if event.status == EventStatus.CANCELLED:
            return Availability("cancelled_event", _("Événement annulé"))
        return Availability("dates", _("Inscription date par date"))
    unit = _unit(event, occurrence)
    opens_at, closes_at = registration_window(event, occurrence)
    remaining = None
    if unit.capacity is not None:
        taken = 0
        if _counts_seats(unit):  # no registrations taken here otherwise
            counts = counts if counts is not None else _seat_counts(unit, now)
            if _needs_allocation(unit, counts, now):
                # Nothing waits for cron: the first read after a deadline hands the seat on, under the lock.
                promote_waitlist(event, occurrence=occurrence)
                counts = _seat_counts(unit, now)
            taken = counts["held"]
        remaining = max(unit.capacity - taken, 0)
    if mode == RegistrationMode.NONE:
        return Availability("none", "", remaining)
    if event.status == EventStatus.CANCELLED:
        return Availability("cancelled_event", _("Événement annulé"), remaining)
    if unit.is_cancelled:
        return Availability("cancelled_event", _("Date annulée"), remaining)
    if mode == RegistrationMode.EXTERNAL:
        return Availability("external", _("Inscription sur le site de l'organisateur"), remaining)
    if event.status == EventStatus.POSTPONED:
        return Availability("closed", _("Événement reporté — inscriptions suspendues"), remaining)
    if closes_at and now >= closes_at:
        return Availability("closed", _("Inscriptions closes"), remaining, opens_at, closes_at)
    if opens_at and now < opens_at:
        message = _("Inscriptions à partir du %(date)s") % {"date": format_datetime(opens_at)}
        return Availability("not_yet_open", message, remaining, opens_at, closes_at)
    if remaining == 0:  # seats free are always offered: people waiting never fit them (ALLOCATION_RULE)
        if event.waitlist_enabled:
            return Availability("full_waitlist", _("Complet — liste d'attente"), remaining, opens_at, closes_at)
        return Availability("full", _("Complet"), remaining, opens_at, closes_at)
    if remaining is None:
        return Availability("open", _("Inscriptions ouvertes"), None, opens_at, closes_at)
    message = ngettext("%(count)d place restante", "%(count)d places restantes", remaining) % {"count": remaining}
    return Availability("open", message, remaining, opens_at, closes_at)


# ---------------------------------------------------------------------------
# Internals: lock, notify, audit


def normalize_email(email):
    """One spelling per address: surrounding spaces removed, all lower case."""
    return (email or "").strip().lower()


def _lock_unit(unit):
    """Lock the unit's row (``BookableUnit.lock``) for the rest of the transaction and return it freshly read.

    Every seat decision of a unit takes this same lock; two dates of a series do not share it.
    """
    return unit.lock()


def _lock_event(event):
    """Lock a single event or course (the unit of an event without dates); kept for the callers that hold one."""
    return _lock_unit(BookableUnit(event)).event


def _lock_registration_unit(registration):
    """Lock the unit the registration booked; returns that unit freshly read."""
    return _lock_unit(BookableUnit.of_registration(registration))


def _lock_registration(registration):
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _audit(registration, action, by, **data):
    if by is not None and getattr(by, "is_authenticated", False):
        log_actions.log(instance=registration, action=action, user=by, data=data or None)


def _queue_email(registration, kind, **context):
    """Queue the e-mail in the outbox, in this transaction: it leaves once the decision commits, never before."""
    queue_email(registration, kind, **context)


def _announce_availability(event):
    transaction.on_commit(lambda: availability_changed.send(sender=Registration, event=event))


def _set_status(registration, status, now, **fields):
    """The one way a registration changes status; leaving the active ones (cancelled, refused) drops its proofs."""
    if status not in ACTIVE_STATUSES:
        proofs.discard_proofs(registration)
    registration.status = status
    registration.status_changed_at = now
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "status_changed_at", "updated_at", *fields])


def _has_room(unit, seats, now, by=None):
    """Seats free for a newcomer: enough left once nobody waiting fits them (``ALLOCATION_RULE``).

    The caller holds the unit's lock. When the rule is not met yet (a hold
    expired since the last decision), the waiting list is served first.
    """
    if unit.capacity is None:
        return True
    counts = _seat_counts(unit, now)
    if _needs_allocation(unit, counts, now):
        _promote_locked(unit, by, now)
        counts = _seat_counts(unit, now)
    free = unit.capacity - counts["held"]
    someone_waiting_fits = counts["smallest_waiting"] is not None and counts["smallest_waiting"] <= free
    return free >= seats and not someone_waiting_fits


def offer_deadline(event, now, *, occurrence=None):
    """When an offer made now expires, or None when the seats are to be confirmed at once.

    The event's ``waitlist_offer_hours``, but never more than half the time
    left before the last ``IMMEDIATE_CONFIRMATION_BEFORE`` hours: if the first
    person lets the offer lapse, there is still time to offer the seat to
    someone else before it must be confirmed directly. Offers off, or an offer
    shorter than ``MINIMUM_OFFER``: None (confirmed at once, as close to the
    event nobody could answer in time).
    """
    if not event.waitlist_offers:
        return None
    start = occurrence.start if occurrence is not None else event.start  # the booked date's
    window = start - IMMEDIATE_CONFIRMATION_BEFORE - now
    duration = min(datetime.timedelta(hours=event.waitlist_offer_hours), window / 2)
    if duration < MINIMUM_OFFER:
        return None
    return now + duration


def _promote_locked(unit, by, now):
    """The allocation rule (``ALLOCATION_RULE``), the one place it is written; the caller holds the unit's lock.

    First releases the offers and address holds past their deadline, then
    walks the waiting list in order of registration and gives the seats to
    every request that fits what is still free, skipping those too large
    (they keep their rank). Each one is offered the seats until
    ``offer_deadline`` or, when there is no time for an offer, confirmed.
    Once the unit has started nobody is promoted: a "a seat is free" e-mail
    would arrive too late to be of any use. Returns the registrations given seats.
    """
    candidates = list(
        unit.registrations.filter(Q(status=RegistrationStatus.WAITLISTED) | expired(now))
        .select_related("event", "occurrence")
        .order_by("created_at", "id")
    )
    for registration in candidates:
        if registration.status in EXPIRING_STATUSES:
            _release_hold(registration, by, now)
    waiting = [registration for registration in candidates if registration.status == RegistrationStatus.WAITLISTED]
    if unit.start <= now or unit.is_cancelled or not waiting:
        return []
    free = seats_remaining(unit.event, now, occurrence=unit.occurrence)
    deadline = offer_deadline(unit.event, now, occurrence=unit.occurrence)
    given = []
    for registration in waiting:
        if free is not None and registration.seats > free:
            continue  # too large for now: keeps its rank, does not block the smaller requests behind
        if deadline:
            _set_status(
                registration,
                RegistrationStatus.OFFERED,
                now,
                expires_at=deadline,
                holds_seats=True,
                offer_reminder_sent_at=None,
            )
            _audit(registration, "registrations.offer", by)
            _queue_email(registration, "offered")
        else:
            _set_status(registration, RegistrationStatus.CONFIRMED, now, promoted_at=now)
            _audit(registration, "registrations.promote", by)
            _queue_email(registration, "promoted")
        given.append(registration)
        if free is not None:
            free -= registration.seats
            if free == 0:
                break
    return given


def _release_hold(registration, by, now):
    """An offer or address hold past its deadline: cancelled, its seats freed, the person told they may start again."""
    if registration.status == RegistrationStatus.OFFERED:
        reason, kind = _("Place proposée non acceptée à temps"), "offer_expired"
    elif registration.status == RegistrationStatus.AWAITING_PAYMENT:
        reason, kind = _("Paiement en ligne non reçu à temps"), "payment_expired"
        registration.online_checkouts.filter(state=CheckoutState.CREATED).update(state=CheckoutState.ABANDONED)
    else:
        reason, kind = _("Adresse e-mail non confirmée à temps"), "unverified_expired"
    _set_status(registration, RegistrationStatus.CANCELLED, now, holds_seats=False, cancelled_reason=reason)
    _audit(registration, "registrations.expire", by)
    _queue_email(registration, kind)


def _ensure_snapshot(event):
    """Remember the announced date, place and status of the event, for change notices."""
    EventChangeSnapshot.objects.get_or_create(
        event_id=event.pk,
        defaults={"status": event.status, "start": event.start, "end": event.end, "venue_id": event.venue_id},
    )


# ---------------------------------------------------------------------------
# Actions


def register(
    event,
    *,
    first_name,
    last_name,
    email,
    organisation="",
    phone="",
    seats=1,
    answers=None,
    audience=None,
    consent_text="",
    source=RegistrationSource.WEB,
    allow_over_capacity=False,
    companions=(),
    price_tiers=(),
    proof_files=(),
    by=None,
    occurrence=None,
    pay_online=False,
):
    """Register someone for an event, or for one date (``occurrence``) of a series: confirmed, waitlisted,
    pending (review mode), unverified or awaiting its online payment, or raise.

    A series is booked date by date: without ``occurrence``, for another
    event's date, a cancelled date or one already begun, it raises a French
    ``RegistrationClosed`` (``registration_window`` says when a date closes).

    Staff (``source=STAFF``) may register outside the opening window, beyond
    the per-person seat limit, and in review mode their entry is decided at
    once as if approved; they never wait for an address check (signed up by
    phone). ``allow_over_capacity`` confirms even when full. With
    ``verify_email``, a web registration is ``UNVERIFIED`` until the click
    (``verify_address``), holding the seats it would have been confirmed with.

    ``companions`` names the other people of a group (dicts of ``first_name``,
    ``last_name``, optional ``email``), at most ``seats - 1``; the seats left
    unnamed (staff taking a booking by phone) get a placeholder name
    (``companion_placeholder``) that staff can correct later.

    ``price_tiers``: on an event with tiers, the tier id of each seat in order
    (the registrant first); each tier's quota is checked under the lock
    (``payments.full_tier``), a full tier raises ``TierFull`` naming the others.
    ``proof_files``: the uploaded proof of each seat in the same order (None
    where none was sent), checked and kept privately (``proofs.attach_proofs``);
    a web registration must bring one for each seat at a tier « justificatif à
    téléverser », staff may add it later.

    ``pay_online`` (the caller checked ``online_payment.payment_mode``): a web
    request that gets seats, or goes to review, and owes something waits
    ``PAYMENT_TIME`` for its payment (``AWAITING_PAYMENT``, holding the seats
    it would have been confirmed with; no address check: the payment decides);
    ``confirm_online_checkout`` then decides it. A request put on the waiting
    list pays later, on site, as without online payment.
    """
    email = normalize_email(email)
    is_staff = source == RegistrationSource.STAFF
    if not email and not is_staff:
        raise RegistrationError(_("Une adresse e-mail est nécessaire pour s'inscrire."))
    if email:
        try:
            validate_deliverable_email(email)
        except ValidationError as error:  # whoever calls: the forms check it too
            raise RegistrationError(error.messages[0]) from None
    if seats < 1:
        raise TooManySeats(_("Il faut réserver au moins une place."))
    companions = list(companions)
    if len(companions) > seats - 1:
        raise TooManySeats(
            _("Vous avez donné %(names)d noms d'accompagnant·es pour %(seats)d places : il en faut au plus %(max)d.")
            % {"names": len(companions), "seats": seats, "max": seats - 1}
        )
    now = timezone.now()
    unit = _bookable(event, occurrence)
    with proofs.files_removed_on_failure() as stored, transaction.atomic():
        # Before the lock, so that it is held for as little as the decision needs: the database's
        # one-active-registration constraint refuses a double that slips in meanwhile (see the insert below).
        # A closed event says so first, even to someone already registered (checked again under the lock).
        _check_can_register(unit, now, is_staff)
        existing = _find_active(unit, email) if email else None
        if existing:
            raise AlreadyRegistered(existing)
        unit = _lock_unit(unit)
        event = unit.event
        _check_can_register(unit, now, is_staff)
        if not is_staff and seats > event.max_seats_per_registration:
            raise TooManySeats(
                ngettext(
                    "Vous pouvez réserver au plus %(max)d place.",
                    "Vous pouvez réserver au plus %(max)d places.",
                    event.max_seats_per_registration,
                )
                % {"max": event.max_seats_per_registration}
            )
        tiers, tier_problem = payments.tiers_for_seats(event, price_tiers, seats)
        if tier_problem:
            raise RegistrationError(tier_problem)
        uploads = [*proof_files, *[None] * seats][:seats]
        if not is_staff and any(
            proofs.needs_upload(tier) and not upload for tier, upload in zip(tiers, uploads, strict=True)
        ):
            raise RegistrationError(
                _("Joignez le justificatif demandé pour chaque personne à un tarif qui en exige un.")
            )
        # Quotas are the unit's: a tier's seats on one date of a series, or on the event.
        full = payments.full_tier(tiers, unit.registrations)
        if full is not None:
            raise TierFull(payments.tier_full_message(full, payments.event_tiers(event), unit.registrations))
        status = _decide_newcomer(unit, seats, now, by, allow_over_capacity=allow_over_capacity, is_staff=is_staff)
        online = (
            pay_online
            and not is_staff
            and status in (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING)
            and any(tier is not None and tier.amount > 0 for tier in tiers)
        )
        verify = event.verify_email and not is_staff and not online
        if online:
            saved_status, hold_time = RegistrationStatus.AWAITING_PAYMENT, PAYMENT_TIME
        elif verify:
            saved_status, hold_time = RegistrationStatus.UNVERIFIED, VERIFICATION_TIME
        else:
            saved_status, hold_time = status, None
        registration = Registration(
            event=event,
            occurrence=unit.occurrence,
            first_name=clean_line(first_name),
            last_name=clean_line(last_name),
            email=email,
            organisation=clean_line(organisation),
            phone=clean_line(phone),
            seats=seats,
            answers=answers or {},
            audience=audience or {},
            status=saved_status,
            holds_seats=hold_time is not None and status == RegistrationStatus.CONFIRMED,
            expires_at=now + hold_time if hold_time is not None else None,
            source=source,
            status_changed_at=now,
            consent_text=consent_text,
            consent_at=now if consent_text else None,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            existing = unit.registrations.filter(email=email, status__in=ACTIVE_STATUSES).first()
            if existing is None:
                raise
            raise AlreadyRegistered(existing) from None
        people = _new_attendees(registration, companions)
        for person, tier in zip(people, tiers, strict=True):
            person.price_tier = tier
            person.price_amount = tier.amount if tier is not None else None  # what they owe, whatever edits follow
        Attendee.objects.bulk_create(people)
        try:
            proofs.attach_proofs(people, uploads, stored)
        except proofs.ProofError as error:
            raise RegistrationError(error.message) from None
        _ensure_snapshot(event)
        _audit(registration, "registrations.register", by, status=registration.status)
        if not online:  # an online payment is told once it is decided (``confirm_online_checkout``)
            _queue_email(registration, "verify" if verify else status)
        if registration.status == RegistrationStatus.PENDING:
            queue_request_notice(registration)  # the team reviews it: tell them, in this transaction
        if status != RegistrationStatus.PENDING:
            # Seats taken, or a waiting list started: the seats-left figure changes either way.
            _announce_availability(event)
    return registration


def _new_attendees(registration, companions):
    """The registrant, then the named companions, then placeholders up to ``registration.seats``."""
    people = [Attendee.registrant_of(registration)]
    for position in range(2, registration.seats + 1):
        companion = companions[position - 2] if position - 2 < len(companions) else None
        if companion:
            first_name, last_name = clean_line(companion["first_name"]), clean_line(companion["last_name"])
            email = normalize_email(companion.get("email", ""))
        else:
            first_name, last_name = companion_placeholder(position, registration.first_name, registration.last_name)
            email = ""
        people.append(
            Attendee(
                registration=registration, position=position, first_name=first_name, last_name=last_name, email=email
            )
        )
    return people


def _decide_newcomer(unit, seats, now, by, *, allow_over_capacity=False, is_staff=False):
    """What a new request gets: pending (review mode), confirmed, waitlisted, or EventFull."""
    event = unit.event
    if event.registration_mode == RegistrationMode.REVIEW and not is_staff:
        return RegistrationStatus.PENDING
    if allow_over_capacity or _has_room(unit, seats, now, by):
        return RegistrationStatus.CONFIRMED
    if event.waitlist_enabled:
        return RegistrationStatus.WAITLISTED
    if unit.occurrence is not None:
        raise EventFull(_("Cette date est complète : il ne reste pas assez de places."))
    raise EventFull(_("Cet événement est complet : il ne reste pas assez de places."))


def _find_active(unit, email):
    return unit.registrations.filter(email=email, status__in=ACTIVE_STATUSES).first()


def _check_can_register(unit, now, is_staff):
    event = unit.event
    if event.registration_mode in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):
        raise RegistrationClosed(_("Cet événement ne prend pas d'inscription sur ce site."))
    if event.status == EventStatus.CANCELLED:
        raise RegistrationClosed(_("Cet événement est annulé."))
    if unit.is_cancelled:
        raise RegistrationClosed(_("Cette date est annulée : choisissez-en une autre."))
    if unit.occurrence is not None and unit.start <= now:
        # Even staff: a date already begun is recorded through check-in, not by a new registration.
        raise RegistrationClosed(_("Cette date est passée : choisissez-en une autre."))
    if is_staff:
        return
    if event.status == EventStatus.POSTPONED:
        raise RegistrationClosed(_("Cet événement est reporté : les inscriptions sont suspendues."))
    opens_at, closes_at = registration_window(event, unit.occurrence)
    if opens_at and now < opens_at:
        raise RegistrationNotOpenYet(_("Les inscriptions ouvrent le %(date)s.") % {"date": format_datetime(opens_at)})
    if closes_at and now >= closes_at:
        raise RegistrationClosed()


def cancel(registration, *, by=None, notify=True):
    """Cancel an active registration, free its seats and promote the waiting list at once."""
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_registration_unit(registration)
        current = _lock_registration(registration)
        if current.status not in ACTIVE_STATUSES:
            raise InvalidTransition(_("Cette inscription est déjà annulée ou refusée."))
        _cancel_locked(unit, current, by=by, notify=notify, now=now)
    _refresh(registration, current)
    return registration


class CancellationOutcome:
    """What cancelling a registration does to its seats, as the cancel page tells the person."""

    REQUEST_WITHDRAWN = "request_withdrawn"  # a request under review: no seat was held, nothing is freed
    LEAVES_WAITLIST = "leaves_waitlist"  # on the waiting list: no seat was held either
    OFFERED_TO_NEXT = "offered_to_next"  # seats go to the people waiting
    OPEN_AGAIN = "open_again"  # nobody waits: the seats are open to registration again


def cancellation_outcome(registration):
    """What ``cancel`` would do with this registration's seats now (a description, not a decision: no lock)."""
    if registration.status == RegistrationStatus.PENDING:
        return CancellationOutcome.REQUEST_WITHDRAWN
    if registration.status == RegistrationStatus.WAITLISTED:
        return CancellationOutcome.LEAVES_WAITLIST
    unit = BookableUnit.of_registration(registration)
    if unit.event.waitlist_enabled and unit.registrations.filter(status=RegistrationStatus.WAITLISTED).exists():
        return CancellationOutcome.OFFERED_TO_NEXT
    return CancellationOutcome.OPEN_AGAIN


def _cancel_locked(unit, current, *, by, notify, now):
    """Cancel the whole registration and promote; the caller holds the unit's and the registration's locks."""
    # Confirmed people, offers and address holds free seats: the waiting list gets them at once.
    may_promote = current.status != RegistrationStatus.PENDING
    reason = _("Annulée par l'équipe") if by is not None else _("Annulée par la personne inscrite")
    _set_status(current, RegistrationStatus.CANCELLED, now, cancelled_reason=reason, holds_seats=False)
    _audit(current, "registrations.cancel", by)
    if notify:
        _queue_email(current, "cancelled")
    if may_promote:
        _promote_locked(unit, by, now)
    _announce_availability(unit.event)


def cancel_attendee(attendee, *, by=None, notify=True):
    """Give back one person's seat of a group; the last person's seat cancels the whole registration.

    Under the event's lock like every seat decision: ``Registration.seats``
    follows the active attendees, the freed seat goes to the waiting list
    (``_promote_locked``), and the registrant is told whose seat was cancelled.
    Returns the registration as it is now.
    """
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_registration_unit(attendee.registration)
        current = _lock_registration(attendee.registration)
        person = Attendee.objects.get(pk=attendee.pk)
        if current.status not in ACTIVE_STATUSES:
            raise InvalidTransition(_("Cette inscription est déjà annulée ou refusée."))
        if person.cancelled_at is not None:
            raise InvalidTransition(_("La place de %(name)s est déjà annulée.") % {"name": person.full_name})
        if current.attendees.filter(cancelled_at__isnull=True).count() <= 1:
            _cancel_locked(unit, current, by=by, notify=notify, now=now)
        else:
            person.cancelled_at = now
            person.save(update_fields=["cancelled_at"])
            proofs.discard_proofs(attendee=person)
            _sync_attendance(current)
            _audit(current, "registrations.cancel_attendee", by, attendee=person.position)
            if notify:
                _queue_email(current, "seat_cancelled", attendee=person)
            if current.status != RegistrationStatus.PENDING:  # it held seats, or waited for them
                _promote_locked(unit, by, now)
            _announce_availability(unit.event)
    attendee.cancelled_at = person.cancelled_at
    attendee.registration.seats = current.seats
    _refresh(attendee.registration, current)
    return current


def _sync_attendance(registration):
    """Write the counts kept on the registration from its attendees, the one source of truth.

    ``seats`` = active attendees (what capacity counts), ``seats_present`` =
    active attendees checked in, ``checked_in_at`` = the first arrival.
    """
    active = list(registration.attendees.filter(cancelled_at__isnull=True))
    arrivals = [person.checked_in_at for person in active if person.checked_in_at]
    registration.seats = len(active) or registration.seats
    registration.seats_present = len(arrivals)
    registration.checked_in_at = min(arrivals) if arrivals else None
    registration.save(update_fields=["seats", "seats_present", "checked_in_at", "updated_at"])


def approve(registration, *, by=None):
    """Pending → confirmed when seats are free, else waitlisted (or EventFull without a waiting list)."""
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_registration_unit(registration)
        event = unit.event
        current = _lock_registration(registration)
        if current.status != RegistrationStatus.PENDING:
            raise InvalidTransition(_("Seule une demande en attente de validation peut être acceptée."))
        if _has_room(unit, current.seats, now, by):
            _set_status(current, RegistrationStatus.CONFIRMED, now)
            _queue_email(current, "approved")
        elif event.waitlist_enabled:
            _set_status(current, RegistrationStatus.WAITLISTED, now)
            _queue_email(current, "waitlisted")
        else:
            raise EventFull(_("Il ne reste pas assez de places pour accepter cette demande."))
        _audit(current, "registrations.approve", by, status=current.status)
        _announce_availability(event)
    _refresh(registration, current)
    return registration


def reject(registration, *, by=None, notify=True):
    """Refuse a pending or waitlisted request (confirmed ones are cancelled instead)."""
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_registration_unit(registration)
        current = _lock_registration(registration)
        if current.status not in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED):
            raise InvalidTransition(_("Seule une demande en attente ou sur liste d'attente peut être refusée."))
        was_waiting = current.status == RegistrationStatus.WAITLISTED
        _set_status(current, RegistrationStatus.REJECTED, now)
        _audit(current, "registrations.reject", by)
        if notify:
            _queue_email(current, "rejected")
        if was_waiting:
            # Serve the list now rather than at the next decision (an expired hold may be waiting).
            _promote_locked(unit, by, now)
        _announce_availability(unit.event)
    _refresh(registration, current)
    return registration


def promote_waitlist(event, *, by=None, occurrence=None):
    """Give the free seats of a unit to its waiting list by ``ALLOCATION_RULE`` (expired holds released first).

    A series without ``occurrence`` (its capacity was just raised) serves each
    date still to come, one after the other, each under its own lock.
    Returns the registrations given seats (offered or confirmed).
    """
    if occurrence is None and _is_series(event):
        promoted = []
        for date in event.occurrences.filter(start__gt=timezone.now()).order_by("start", "pk"):
            promoted += promote_waitlist(event, by=by, occurrence=date)
        return promoted
    with transaction.atomic():
        unit = _lock_unit(_unit(event, occurrence))
        now = timezone.now()
        had_expired = unit.registrations.filter(expired(now)).exists()
        promoted = _promote_locked(unit, by, now)
        if promoted or had_expired:
            _announce_availability(unit.event)
    return promoted


def _answer_offer(registration, by, *, accept):
    """Accept (confirmed) or decline (cancelled, the seats passed on) an offer still open."""
    now = timezone.now()
    lapsed = False
    with transaction.atomic():
        unit = _lock_registration_unit(registration)
        current = _lock_registration(registration)
        if current.status == RegistrationStatus.OFFERED and current.expires_at <= now:
            _promote_locked(unit, by, now)  # releases this offer (the person is told) and passes the seats on
            _announce_availability(unit.event)
            lapsed = True
        elif current.lapsed:
            raise OfferExpired()
        elif current.status != RegistrationStatus.OFFERED:
            raise InvalidTransition(_("Aucune place ne vous est proposée pour cette inscription."))
        elif accept:
            _set_status(current, RegistrationStatus.CONFIRMED, now, promoted_at=now, holds_seats=False)
            _audit(current, "registrations.accept_offer", by)
            _queue_email(current, "confirmed")
        else:
            reason = _("Place laissée à la personne suivante")
            _set_status(current, RegistrationStatus.CANCELLED, now, holds_seats=False, cancelled_reason=reason)
            _audit(current, "registrations.decline_offer", by)
            _queue_email(current, "cancelled")
            _promote_locked(unit, by, now)
            _announce_availability(unit.event)
    if lapsed:
        raise OfferExpired()
    _refresh(registration, current)
    return registration


def accept_offer(registration, *, by=None):
    """« Je prends la place » (or staff confirming for them): an open offer becomes a confirmed registration."""
    return _answer_offer(registration, by, accept=True)


def decline_offer(registration, *, by=None):
    """« Je laisse ma place »: the registration is cancelled and the seats go to the next request that fits."""
    return _answer_offer(registration, by, accept=False)


def verify_address(registration):
    """The click on the e-mailed link proves the address: the registration is decided as a new one would be.

    Held seats are kept (confirmed); a request that held none (review mode, or
    no seat free when it came) becomes pending, confirmed if seats fit now,
    waitlisted at its original rank, or cancelled when full without a list.
    A deadline already passed raises ``OfferExpired`` (the person starts again).
    """
    now = timezone.now()
    lapsed = False
    with transaction.atomic():
        unit = _lock_registration_unit(registration)
        current = _lock_registration(registration)
        if current.status == RegistrationStatus.UNVERIFIED and current.expires_at <= now:
            _promote_locked(unit, None, now)
            _announce_availability(unit.event)
            lapsed = True
        elif current.lapsed:
            lapsed = True
        elif current.status != RegistrationStatus.UNVERIFIED:
            raise InvalidTransition(_("Votre adresse e-mail est déjà confirmée."))
        else:
            _verify_locked(unit, current, now)
    if lapsed:
        raise OfferExpired(
            _(
                "Le lien de confirmation a expiré (30 minutes) et la place a été libérée. "
                "Vous pouvez vous inscrire de nouveau depuis la page de l'événement."
            )
        )
    _refresh(registration, current)
    return registration


def _verify_locked(unit, current, now):
    if current.holds_seats:
        status = RegistrationStatus.CONFIRMED
    else:
        try:
            # Not counting its own request: it holds no seats, so it is not among those waiting either.
            status = _decide_newcomer(unit, current.seats, now, None)
        except EventFull:
            status = RegistrationStatus.CANCELLED
    reason = _("Complet au moment de la confirmation de l'adresse") if status == RegistrationStatus.CANCELLED else ""
    _set_status(current, status, now, verified_at=now, holds_seats=False, expires_at=None, cancelled_reason=reason)
    _queue_email(current, status)
    if status == RegistrationStatus.PENDING:
        queue_request_notice(current)  # the address is proven: now the team has a request to review
    _announce_availability(unit.event)


def release_expired_holds(event, *, by=None, occurrence=None):
    """Cancel the offers and address holds of one unit past their deadline and pass the seats on; idempotent.

    A series without ``occurrence`` releases those of every date, each under its own lock.
    Returns how many were released. Reads first without the lock: most calls find nothing to do.
    """
    if occurrence is None and _is_series(event):
        lapsed = Registration.objects.filter(expired(timezone.now()), event_id=event.pk).values("occurrence_id")
        dates = event.occurrences.filter(pk__in=lapsed)
        return sum(release_expired_holds(event, by=by, occurrence=date) for date in dates)
    unit = _unit(event, occurrence)
    if not unit.registrations.filter(expired(timezone.now())).exists():
        return 0
    with transaction.atomic():
        unit = _lock_unit(unit)
        now = timezone.now()
        count = unit.registrations.filter(expired(now)).count()
        if count:
            _promote_locked(unit, by, now)
            _announce_availability(unit.event)
    return count


def expire_holds(now=None):
    """For cron: every unit's expired holds released, each under its own lock. Returns the number released."""
    now = now or timezone.now()
    units = (
        Registration.objects.filter(expired(now))
        .values_list("event_id", "occurrence_id")
        .distinct()
        .order_by("event_id", "occurrence_id")
    )
    units = list(units)
    events = EventPage.objects.in_bulk({event_id for event_id, _occurrence in units})
    occurrences = Occurrence.objects.in_bulk({occurrence for _event, occurrence in units if occurrence})
    return sum(
        release_expired_holds(events[event_id], occurrence=occurrences.get(occurrence_id) if occurrence_id else None)
        for event_id, occurrence_id in units
    )


def send_offer_reminders(now=None):
    """Remind once the people whose offer ends within ``OFFER_REMINDER_BEFORE`` (offers made at least as long ago).

    Each reminder is decided under the event's lock and recorded in
    ``offer_reminder_sent_at``, so that a second run sends nothing.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.OFFERED,
        offer_reminder_sent_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + OFFER_REMINDER_BEFORE,
        status_changed_at__lte=now - OFFER_REMINDER_BEFORE,
    ).order_by("event_id", "occurrence_id", "pk")
    sent = 0
    for registration in due.select_related("event", "occurrence"):
        with transaction.atomic():
            _lock_registration_unit(registration)
            current = _lock_registration(registration)
            still_due = (
                current.status == RegistrationStatus.OFFERED
                and current.offer_reminder_sent_at is None
                and current.expires_at > now
            )
            if still_due:
                current.offer_reminder_sent_at = now
                current.save(update_fields=["offer_reminder_sent_at", "updated_at"])
                _queue_email(current, "offer_reminder")
                sent += 1
    return sent


# ---------------------------------------------------------------------------
# Online payment (HelloAsso Checkout: the conversation is ``registrations/online_payment.py``'s)

PAYMENT_EXPIRED_MESSAGE = gettext_lazy(
    "Le délai de paiement (30 minutes) est passé : la place retenue pour vous a été libérée. "
    "Vous pouvez vous inscrire de nouveau depuis la page de l'événement."
)


def start_online_checkout(registration, provider, urls_for):
    """Create a checkout for what a registration awaiting its payment owes; returns (checkout, page to go to).

    The call to the provider runs outside any lock (it may take seconds). The
    attempt is written first, so that a failed call is kept too (« échoué »,
    with its reason); an earlier attempt still open is marked abandoned (a
    payment made on it later is still recorded). ``urls_for(reference)`` gives
    the ``online_payment.CheckoutUrls``. Raises ``OfferExpired`` once the
    deadline passed, ``RegistrationError`` with the provider's French message
    when it cannot be reached or refuses.
    """
    registration = Registration.objects.select_related("event", "occurrence").get(pk=registration.pk)
    if registration.status != RegistrationStatus.AWAITING_PAYMENT:
        raise InvalidTransition(_("Cette inscription n'attend pas de paiement en ligne."))
    if registration.expires_at <= timezone.now():
        raise OfferExpired(PAYMENT_EXPIRED_MESSAGE)
    amount = payments.money_of(registration).balance
    if amount <= 0:
        raise InvalidTransition(_("Il ne reste rien à payer pour cette inscription."))
    registration.online_checkouts.filter(state=CheckoutState.CREATED).update(state=CheckoutState.ABANDONED)
    checkout = OnlineCheckout.objects.create(
        registration=registration, reference=secrets.token_urlsafe(18), provider=provider.name, amount=amount
    )
    unit = BookableUnit.of_registration(registration)
    seats = ngettext("%(count)d place", "%(count)d places", registration.seats) % {"count": registration.seats}
    try:
        created = provider.create_checkout(
            amount=amount,
            item_name=f"{registration.event.title} ({unit.dates_display}), {seats}",
            payer={
                "firstName": registration.first_name,
                "lastName": registration.last_name,
                "email": registration.email,
            },
            urls=urls_for(checkout.reference),
            metadata={"reference": checkout.reference, "registration": registration.pk},
        )
    except ProviderError as error:
        checkout.state = CheckoutState.FAILED
        checkout.failure = error.message[:200]
        checkout.save(update_fields=["state", "failure"])
        raise RegistrationError(error.message) from None
    checkout.provider_id = created.id
    checkout.save(update_fields=["provider_id"])
    return checkout, created.redirect_url


def confirm_online_checkout(checkout, provider):
    """Act on what the provider's API says of a checkout (never on a notification's body); returns it as now.

    Paid, for the amount asked, with our reference and registration in its
    metadata: the ``Payment`` (« en ligne », with its receipt number) is
    recorded exactly once — the checkout's row is locked, under the unit's
    lock, and a checkout already paid records nothing (a repeated
    notification, the return URL after the notification, both at once) — then
    the registration is decided (``_decide_paid_locked``) and the person gets
    the usual e-mail and their receipt. Not paid (yet): nothing changes.
    Raises ``CheckoutMismatch`` when the answer does not match ours,
    ``RegistrationError`` when the provider cannot be reached.
    """
    if not checkout.provider_id:
        raise CheckoutMismatch()
    try:
        status = provider.fetch_checkout(checkout.provider_id)
    except ProviderError as error:
        raise RegistrationError(error.message) from None
    metadata = status.metadata if isinstance(status.metadata, dict) else {}
    matches = (
        status.id == checkout.provider_id
        and str(metadata.get("reference")) == checkout.reference
        and str(metadata.get("registration")) == str(checkout.registration_id)
    )
    if not matches:
        raise CheckoutMismatch()
    if not status.paid:
        return OnlineCheckout.objects.get(pk=checkout.pk)
    if status.amount != checkout.amount:
        raise CheckoutMismatch(_("Le montant payé ne correspond pas au montant demandé : l'équipe va vérifier."))
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_registration_unit(checkout.registration)
        current = OnlineCheckout.objects.select_for_update().get(pk=checkout.pk)
        if current.state == CheckoutState.PAID:
            return current
        registration = _lock_registration(current.registration)
        payment = payments.record_payment(
            registration,
            amount=current.amount,
            method=PaymentMethod.ONLINE,
            paid_on=timezone.localdate(),
            note=_("HelloAsso, paiement n° %(id)s") % {"id": current.provider_id},
            allow_overpay=True,  # the money is in: a late or second payment shows as owed back
        )
        current.state = CheckoutState.PAID
        current.confirmed_at = now
        current.payment = payment
        current.failure = ""
        current.save(update_fields=["state", "confirmed_at", "payment", "failure"])
        _decide_paid_locked(unit, registration, now)
        _queue_email(registration, "documents")  # the receipt, drawn by the worker
    return current


def _decide_paid_locked(unit, registration, now):
    """The payment of a registration arrived; the caller holds the unit's and the registration's locks.

    Still awaiting it (even just past the deadline: not released yet means no
    decision was taken on the unit since, so its seats are still its own):
    confirmed when it held seats, else decided like a new request (pending
    in review mode). Released meanwhile: it stays cancelled, the payment shows
    as owed back (``payments.refundable``: a lapsed hold) and the person is told.
    """
    if registration.status != RegistrationStatus.AWAITING_PAYMENT:
        if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED):
            _queue_email(registration, "payment_late")
        return
    if registration.holds_seats:
        status = RegistrationStatus.CONFIRMED
    else:
        registration.expires_at = None  # being decided: not an expired hold for the rule below
        registration.save(update_fields=["expires_at", "updated_at"])
        try:
            status = _decide_newcomer(unit, registration.seats, now, None)
        except EventFull:
            status = RegistrationStatus.REJECTED  # refundable in full (``payments.refundable``)
    reason = _("Complet au moment du paiement") if status == RegistrationStatus.REJECTED else ""
    _set_status(registration, status, now, holds_seats=False, expires_at=None, cancelled_reason=reason)
    _queue_email(registration, status)
    if status == RegistrationStatus.PENDING:
        queue_request_notice(registration)
    _announce_availability(unit.event)


def record_checkout_failure(checkout, provider, *, gave_up=False):
    """The person came back through the error URL (or « back », ``gave_up``): returns the checkout as now.

    The provider is asked first: paid after all, it is confirmed as usual;
    otherwise the attempt is marked failed (or abandoned) while the seat stays
    held until the deadline, so that they can try again.
    """
    checkout = confirm_online_checkout(checkout, provider)
    if checkout.state == CheckoutState.CREATED:
        state, failure = (
            (CheckoutState.ABANDONED, _("Retour sur le site sans payer"))
            if gave_up
            else (CheckoutState.FAILED, _("Paiement interrompu ou refusé sur HelloAsso"))
        )
        OnlineCheckout.objects.filter(pk=checkout.pk, state=CheckoutState.CREATED).update(state=state, failure=failure)
        checkout.refresh_from_db()
    return checkout


def check_in(registration, *, by=None, present=True):
    """Record (or undo) the attendance of every person of a registration; only confirmed ones can be."""
    with transaction.atomic():
        current = _lock_registration(registration)
        if current.status != RegistrationStatus.CONFIRMED:
            raise InvalidTransition(_("Seule une inscription confirmée peut être pointée présente."))
        people = current.attendees.filter(cancelled_at__isnull=True)
        if present:
            people.filter(checked_in_at__isnull=True).update(checked_in_at=timezone.now())
        else:
            people.update(checked_in_at=None)
        _sync_attendance(current)
        _audit(current, "registrations.check_in", by, present=present)
    _refresh(registration, current)
    return registration


def check_in_attendee(attendee, *, by=None, present=True):
    """Record (or undo) one person's arrival; the registration must be confirmed and the seat not cancelled."""
    with transaction.atomic():
        current = _lock_registration(attendee.registration)
        person = Attendee.objects.get(pk=attendee.pk)
        _check_can_enter(current, person)
        person.checked_in_at = (person.checked_in_at or timezone.now()) if present else None
        person.save(update_fields=["checked_in_at"])
        _sync_attendance(current)
        _audit(current, "registrations.check_in", by, present=present, attendee=person.position)
    attendee.checked_in_at = person.checked_in_at
    _refresh(attendee.registration, current)
    return attendee


def _check_can_enter(registration, person=None):
    """Refuse, in French, a check-in that would count someone whose seat is not confirmed."""
    if registration.status != RegistrationStatus.CONFIRMED:
        message = {
            RegistrationStatus.CANCELLED: _("Cette inscription est annulée."),
            RegistrationStatus.REJECTED: _("Cette demande d'inscription a été refusée."),
            RegistrationStatus.WAITLISTED: _("Cette personne est sur liste d'attente : sa place n'est pas confirmée."),
            RegistrationStatus.PENDING: _("Cette demande n'a pas encore été acceptée : la place n'est pas confirmée."),
        }.get(registration.status, _("Seule une inscription confirmée peut être pointée présente."))
        raise InvalidCheckInCode(message)
    if person is not None and person.cancelled_at is not None:
        raise InvalidCheckInCode(_("La place de %(name)s a été annulée.") % {"name": person.full_name})


def check_in_by_code(event, value, *, by=None, occurrence=None):
    """Check in the people of the registration behind a scanned QR code, for this event (and date) only.

    Returns ``(registration, people)``: the confirmed registration and its
    active attendees (all present now). Raises ``InvalidCheckInCode`` with the
    reason in French: a forged or mistyped code, erased data, another event,
    a registration that is not (or no longer) confirmed.
    """
    try:
        event_id, token = tokens.read_check_in_value(value)
    except signing.BadSignature:
        raise InvalidCheckInCode(
            _(
                "Ce code n'est pas un code d'entrée de La Coursive (signature invalide) : "
                "cherchez la personne par son nom."
            )
        ) from None
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None or registration.anonymized_at:
        raise InvalidCheckInCode(
            _("Ce code ne correspond plus à aucune inscription : cherchez la personne par son nom.")
        )
    if event_id != event.pk or registration.event_id != event.pk:
        other = registration.event
        raise InvalidCheckInCode(
            _("Ce code est celui d'un autre événement : « %(title)s », %(when)s.")
            % {"title": other.title, "when": other.dates_display}
        )
    if occurrence is not None and registration.occurrence_id != occurrence.pk:
        booked = BookableUnit.of_registration(registration)
        raise InvalidCheckInCode(_("Ce code est celui d'une autre date : %(when)s.") % {"when": booked.dates_display})
    with transaction.atomic():
        current = _lock_registration(registration)
        _check_can_enter(current)
        people = current.attendees.filter(cancelled_at__isnull=True)
        people.filter(checked_in_at__isnull=True).update(checked_in_at=timezone.now())
        _sync_attendance(current)
        _audit(current, "registrations.check_in", by, present=True, code=True)
        people = list(people.order_by("position"))
    return current, people


def resend_confirmation(registration):
    """Send again the e-mail that matches the registration's current status (with a fresh link)."""
    if not registration.email:
        raise RegistrationError(_("Cette inscription n'a pas d'adresse e-mail : prévenez la personne par téléphone."))
    kind = {
        RegistrationStatus.CONFIRMED: "confirmed",
        RegistrationStatus.WAITLISTED: "waitlisted",
        RegistrationStatus.PENDING: "pending",
        RegistrationStatus.OFFERED: "offered",
        RegistrationStatus.UNVERIFIED: "verify",
        RegistrationStatus.CANCELLED: "cancelled",
        RegistrationStatus.REJECTED: "rejected",
    }[registration.status]
    _queue_email(registration, kind)


def notify_already_registered(registration):
    """Tell the owner of an address that someone sent the form again with it (their status, their link).

    The public form answers such a post exactly like a new registration, so
    that it never reveals who is registered; the person learns it by mail.
    """
    if registration.email:
        _queue_email(registration, "already_registered")


def anonymize(registration):
    """Erase the personal data and the proofs' files, keep what counts need (status, seats, presence, dates).

    Idempotent. The anonymous statistics rows (``statistics.keep_statistics``) are written
    first, in the same transaction: the funders' figures survive the erasure.
    """
    if registration.anonymized_at:
        return registration
    with transaction.atomic():
        if _lock_registration(registration).anonymized_at:  # erased meanwhile: its rows are kept already
            return registration
        keep_statistics(registration)
        return _erase(registration)


def _erase(registration):
    registration.first_name = _("Anonyme")
    registration.last_name = ""
    registration.email = f"anonyme-{registration.pk}@invalid"
    registration.organisation = ""
    registration.phone = ""
    registration.answers = {}
    registration.audience = {}
    registration.anonymized_at = timezone.now()
    registration.token = new_token()  # old self-service links and QR codes stop working
    registration.attendees.update(first_name=_("Anonyme"), last_name="", email="")
    proofs.discard_proofs(registration)  # the files leave the private disk when this commits
    registration.save(
        update_fields=[
            "token",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "phone",
            "answers",
            "audience",
            "anonymized_at",
            "updated_at",
        ]
    )
    # Wagtail's audit log keeps each entry's label ("Prénom Nom — Événement"): erase the name there too.
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id=str(registration.pk)
    ).update(label=str(registration))
    return registration


def _refresh(target, source):
    """Copy the freshly written state back onto the caller's object."""
    fields = ("status", "status_changed_at", "checked_in_at", "seats", "seats_present", "promoted_at")
    for field in (*fields, "cancelled_reason", "updated_at", "expires_at", "holds_seats", "verified_at"):
        setattr(target, field, getattr(source, field))


def send_message_to_attendees(event, subject, message, *, by=None, occurrence=None):
    """Queue one private e-mail per confirmed attendee with an address; returns how many were queued.

    With ``occurrence`` (one date of a series), only the people of that date are written to.

    Every message is stored in the outbox in one transaction with the event's
    history entry (who wrote, the subject, the number of recipients, never the
    addresses): all are queued or none, and the worker delivers and retries
    them. A subject the mail library refuses raises ``RegistrationError`` and
    nothing is queued, so staff are never told a message left when it did not.
    """
    subject = clean_line(subject)
    with transaction.atomic():
        registrations = event.registrations if occurrence is None else occurrence.registrations
        addresses = list(
            registrations.filter(status=RegistrationStatus.CONFIRMED, anonymized_at__isnull=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .order_by("pk")
        )
        messages = [EmailMessage(subject=subject, body=message, to=[address]) for address in addresses]
        try:
            queued = get_connection(fail_silently=False).send_messages(messages) if messages else 0
        except BadHeaderError as error:
            raise RegistrationError(
                _("L'objet ne peut pas être envoyé tel quel : écrivez-le sur une seule ligne.")
            ) from error
        if by is not None:
            log_actions.log(
                instance=event,
                action="registrations.email_attendees",
                user=by,
                data={
                    "subject": subject,
                    "recipients": queued,
                    **({"occurrence": occurrence.pk} if occurrence is not None else {}),
                },
            )
    return queued


# ---------------------------------------------------------------------------
# One date of a series changes (staff, from the admin's "Dates" view)

# What staff may change on one date; the recurrence rule owns the rest (``original_start``).
OCCURRENCE_FIELDS = ("start", "end", "venue", "capacity", "note")
# A change of these is a new calendar entry for the people of the date: they are written to.
OCCURRENCE_NOTIFIED_FIELDS = ("start", "end", "venue")


def people_to_tell(occurrence):
    """The active registrations of one date that have an address: who a change or a cancellation writes to.

    The figure the confirmation page shows before anything is sent.
    """
    return occurrence.registrations.filter(status__in=ACTIVE_STATUSES, anonymized_at__isnull=True).exclude(email="")


def cancel_occurrence(occurrence, *, by, message=""):
    """Cancel one date of a series: its registrations end and only its registrants are told.

    Under the date's lock: the date becomes cancelled (its SEQUENCE rises,
    ``Occurrence.save``), ``message`` becomes its note (shown on the page and
    in the e-mail), and every active registration of that date is cancelled
    with an e-mail carrying the .ics that removes the date (METHOD:CANCEL).
    The other dates and their people are left alone. Returns how many
    registrations were ended.
    """
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_unit(BookableUnit(occurrence.event, occurrence))
        date = unit.occurrence
        if date.status == OccurrenceStatus.CANCELLED:
            raise InvalidTransition(_("Cette date est déjà annulée."))
        date.status = OccurrenceStatus.CANCELLED
        date.note = clean_line(message)[:255] or date.note
        date.save(update_fields=["status", "note"])
        ended = list(unit.registrations.filter(status__in=ACTIVE_STATUSES).select_related("event", "occurrence"))
        reason = _("Date annulée par l'équipe")
        for registration in ended:
            registration.occurrence = date
            _set_status(registration, RegistrationStatus.CANCELLED, now, cancelled_reason=reason, holds_seats=False)
            _audit(registration, "registrations.cancel", by, occurrence=date.pk)
            _queue_email(registration, "date_cancelled")
        _log_occurrence(date, "registrations.cancel_occurrence", by, registrations=len(ended))
        _announce_availability(unit.event)
    _copy_occurrence(occurrence, date)
    return len(ended)


@dataclass(frozen=True)
class OccurrenceChange:
    """What ``change_occurrence`` did: the fields changed, the people written to, those given seats."""

    changed: tuple
    notified: int
    promoted: tuple


def change_occurrence(occurrence, *, by, **fields):
    """Change one date of a series (``OCCURRENCE_FIELDS``); only that date's registrants hear of it.

    Under the date's lock. A new start, end or venue writes to each active
    registration of the date with the updated .ics (SEQUENCE risen by
    ``Occurrence.save``); more seats serve that date's waiting list at once
    (``ALLOCATION_RULE``); fewer seats than those already held are refused
    (nobody loses a confirmed seat this way: cancel registrations first).
    """
    unknown = set(fields) - set(OCCURRENCE_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of a date: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        unit = _lock_unit(BookableUnit(occurrence.event, occurrence))
        date = unit.occurrence
        if date.status == OccurrenceStatus.CANCELLED:
            raise InvalidTransition(_("Cette date est annulée : elle ne peut plus être modifiée."))
        if "note" in fields:
            fields["note"] = clean_line(fields["note"] or "")[:255]
        changed = tuple(name for name, value in fields.items() if getattr(date, name) != value)
        for name in changed:
            setattr(date, name, fields[name])
        if date.end is not None and date.end <= date.start:
            raise RegistrationError(_("La fin de la date doit venir après son début."))
        if "start" in changed and date.start <= now:
            raise RegistrationError(_("Une date ne peut pas être déplacée dans le passé."))
        if "capacity" in changed and date.effective_capacity is not None:
            held = _seat_counts(unit, now)["held"]
            if date.effective_capacity < held:
                raise RegistrationError(
                    _("%(held)d places sont déjà prises sur cette date : il en faut au moins autant.") % {"held": held}
                )
        if not changed:
            return OccurrenceChange((), 0, ())
        date.save(update_fields=list(changed))
        notified = 0
        if set(changed) & set(OCCURRENCE_NOTIFIED_FIELDS):
            for registration in unit.registrations.filter(status__in=ACTIVE_STATUSES).select_related("event"):
                registration.occurrence = date
                if registration.email and not registration.anonymized_at:
                    _queue_email(registration, "date_changed")
                    notified += 1
        promoted = ()
        if "capacity" in changed or "start" in changed:  # more seats, or a later start leaving time for offers
            promoted = tuple(_promote_locked(unit, by, now))
        _log_occurrence(date, "registrations.change_occurrence", by, fields=list(changed), notified=notified)
        _announce_availability(unit.event)
    _copy_occurrence(occurrence, date)
    return OccurrenceChange(changed, notified, promoted)


def _log_occurrence(date, action, by, **data):
    """The series' history says which date changed, by whom, and how many people it concerned (never who)."""
    if by is not None and getattr(by, "is_authenticated", False):
        log_actions.log(
            instance=date.event,
            action=action,
            user=by,
            data={"occurrence": date.pk, "date": format_datetime(date.start), **data},
        )


def _copy_occurrence(target, source):
    for name in (*OCCURRENCE_FIELDS, "status", "ical_sequence"):
        setattr(target, name, getattr(source, name))


# Courses: one registration, presence per session (``SessionPresence``).
#
# ``Attendee.checked_in_at`` keeps meaning "came": for a course, "came at least
# once", the time of the person's first session presence. So every count that
# reads it (present people, absence rates, the funders' totals) stays true, and
# the per-session figures read the presence rows (``figures.course_figures``).


def _check_session_of(registration, session):
    if session.page_id != registration.event_id:
        raise InvalidCheckInCode(
            _(
                "Cette séance n'appartient pas à l'événement de cette inscription : "
                "choisissez une séance de « %(title)s »."
            )
            % {"title": registration.event.title}
        )


def _record_session_presence(person, session, present, now):
    """Write or delete one presence row and keep ``checked_in_at`` = the first presence (None without any).

    Called under the registration's lock, so a plain check-then-insert is safe (no savepoint).
    """
    if present:
        if not SessionPresence.objects.filter(attendee=person, session=session).exists():
            SessionPresence.objects.create(attendee=person, session=session, checked_in_at=now)
    else:
        SessionPresence.objects.filter(attendee=person, session=session).delete()
    first = person.session_presences.order_by("checked_in_at").values_list("checked_in_at", flat=True).first()
    if person.checked_in_at != first:
        person.checked_in_at = first
        person.save(update_fields=["checked_in_at"])


def check_in_session(attendee, session, *, by=None, present=True):
    """Record (or undo) one person's presence at one session of a course.

    Under the event's lock, then the registration's (the order ``cancel_attendee``
    takes them: with the registration's alone, a seat cancelled during the
    check-ins deadlocked on PostgreSQL, see tests/registrations/test_course_concurrency.py).

    The registration must be confirmed and the seat not cancelled, as at the door
    of any event; the session must be one of the registration's course.
    """
    with transaction.atomic():
        _lock_event(attendee.registration.event)  # event then registration, the order of cancel_attendee
        current = _lock_registration(attendee.registration)
        _check_session_of(current, session)
        person = Attendee.objects.get(pk=attendee.pk)
        _check_can_enter(current, person)
        _record_session_presence(person, session, present, timezone.now())
        _sync_attendance(current)
        _audit(current, "registrations.check_in", by, present=present, attendee=person.position, session=session.pk)
    attendee.checked_in_at = person.checked_in_at
    _refresh(attendee.registration, current)
    return attendee


def check_in_session_by_code(session, value, *, by=None):
    """A scanned QR code at one session of a course: everyone of the registration present at that session.

    The code is read and the registration checked exactly as at the door of any
    event (``check_in_by_code``, which also marks them as having come); returns
    ``(registration, people)``.
    """
    with transaction.atomic():
        _lock_event(session.page)  # event then registration, the order of cancel_attendee
        # Returns the registration locked (its lock is held until this block commits); locking it
        # again here, after check_in_by_code's savepoint, made concurrent waiters deadlock on PostgreSQL.
        current, people = check_in_by_code(session.page, value, by=by)
        now = timezone.now()
        for person in people:
            _record_session_presence(person, session, True, now)
        _sync_attendance(current)
        _audit(current, "registrations.check_in", by, present=True, code=True, session=session.pk)
    return current, people
