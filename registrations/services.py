"""Registration rules: capacity, waiting list, approval, cancellation.

Every decision about a seat is taken here, under one lock per event inside a
transaction (the pretix way: lock, re-read, decide, write). Views, admin
actions and commands only call these functions and show the French message of
the ``RegistrationError`` they may raise.

Locking: on PostgreSQL the event's own row (``events_eventpage``) is locked
with ``SELECT … FOR UPDATE OF`` so that every seat decision for one event is
serialised while other events stay free. On SQLite ``select_for_update`` is a
no-op, but the settings open every transaction with ``BEGIN IMMEDIATE``, which
takes the database write lock at once: the same serialisation, database-wide.

Waiting-list rule (strict first come, first served): people are promoted in
the order they registered (``created_at``, then ``id``); when the person at the
head of the list needs more seats than are free, promotion stops there: nobody
behind them jumps ahead, even if their smaller request would fit. Likewise a
newcomer never takes a seat while someone is waiting: they join the list.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import log_actions
from wagtail.models import ModelLogEntry

from core.dates import format_datetime
from core.text import clean_line
from core.validators import validate_deliverable_email
from events.models import EventPage, EventStatus
from registrations import tokens
from registrations.emails import queue_email
from registrations.figures import confirmed_seats, waiting_count
from registrations.models import (
    ACTIVE_STATUSES,
    Attendee,
    EventChangeSnapshot,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    companion_placeholder,
    new_token,
)
from registrations.signals import availability_changed
from registrations.staff_notices import queue_request_notice

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


# ---------------------------------------------------------------------------
# Reading seats and availability


def seats_taken(event):
    """Seats held by confirmed registrations (pending and waitlisted hold none).

    An event never saved (an editor previewing a new page) has no registrations.
    """
    if event.pk is None:
        return 0
    return event.registrations.aggregate(taken=confirmed_seats())["taken"]


def seats_remaining(event):
    """Seats still free, or None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event), 0)


def _seats_taken_and_waiting(event):
    """(confirmed seats, people waiting) in one query: what the public pages need on every view."""
    if event.pk is None:
        return 0, 0
    counts = event.registrations.aggregate(taken=confirmed_seats(), waiting=waiting_count())
    return counts["taken"], counts["waiting"]


def registration_window(event):
    """(opens_at, closes_at): closing defaults to the start of the event."""
    return event.registration_opens_at, event.registration_closes_at or event.start


@dataclass(frozen=True)
class Availability:
    """What the event page and the form say about registering right now."""

    state: str  # none, external, not_yet_open, open, full_waitlist, full, closed, cancelled_event
    message: str
    seats_remaining: int | None = None
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None

    @property
    def accepts_registrations(self):
        """True when the form may be shown (a place or a spot on the waiting list)."""
        return self.state in ("open", "full_waitlist")


def availability(event, now=None):
    """The registration state of an event, a short French sentence for it and the seats left.

    ``seats_remaining`` is set whenever the event has a capacity (it feeds the
    page's JSON-LD too); None means unlimited.
    """
    now = now or timezone.now()
    opens_at, closes_at = registration_window(event)
    mode = event.registration_mode
    remaining, waiting = None, 0
    if event.capacity is not None:
        taken = 0
        if mode not in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):  # no registrations taken here
            taken, waiting = _seats_taken_and_waiting(event)
        remaining = max(event.capacity - taken, 0)
    if mode == RegistrationMode.NONE:
        return Availability("none", "", remaining)
    if event.status == EventStatus.CANCELLED:
        return Availability("cancelled_event", _("Événement annulé"), remaining)
    if mode == RegistrationMode.EXTERNAL:
        return Availability("external", _("Inscription sur le site de l'organisateur"), remaining)
    if event.status == EventStatus.POSTPONED:
        return Availability("closed", _("Événement reporté — inscriptions suspendues"), remaining)
    if closes_at and now >= closes_at:
        return Availability("closed", _("Inscriptions closes"), remaining, opens_at, closes_at)
    if opens_at and now < opens_at:
        message = _("Inscriptions à partir du %(date)s") % {"date": format_datetime(opens_at)}
        return Availability("not_yet_open", message, remaining, opens_at, closes_at)
    if remaining is not None and (remaining == 0 or waiting):
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


def _lock_event(event):
    """Lock the event's row for the rest of the transaction and return it freshly read.

    ``of=("self",)`` locks only ``events_eventpage`` (not the joined Wagtail
    page row), which is enough: every seat decision takes this same lock.
    """
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


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
    registration.status = status
    registration.status_changed_at = now
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "status_changed_at", "updated_at", *fields])


def _has_room(event, seats):
    """Seats free for a newcomer: capacity left and nobody waiting ahead."""
    if event.capacity is None:
        return True
    taken, waiting = _seats_taken_and_waiting(event)
    return event.capacity - taken >= seats and not waiting


def _promote_locked(event, by, now):
    """Strict FIFO promotion; the caller holds the event lock.

    Once the event has started nobody is promoted: a "a seat is free" e-mail
    would arrive too late to be of any use.
    """
    if event.start <= now:
        return []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "id")
    remaining = seats_remaining(event)
    promoted = []
    for registration in waiting:
        if remaining is not None and registration.seats > remaining:
            break
        _set_status(registration, RegistrationStatus.CONFIRMED, now, promoted_at=now)
        if remaining is not None:
            remaining -= registration.seats
        _audit(registration, "registrations.promote", by)
        _queue_email(registration, "promoted")
        promoted.append(registration)
    return promoted


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
    consent_text="",
    source=RegistrationSource.WEB,
    allow_over_capacity=False,
    companions=(),
    by=None,
):
    """Register someone: confirmed, waitlisted or pending (review mode), or raise.

    Staff (``source=STAFF``) may register outside the opening window, beyond
    the per-person seat limit, and in review mode their entry is decided at
    once as if approved. ``allow_over_capacity`` confirms even when full.

    ``companions`` names the other people of a group (dicts of ``first_name``,
    ``last_name``, optional ``email``), at most ``seats - 1``; the seats left
    unnamed (staff taking a booking by phone) get a placeholder name
    (``companion_placeholder``) that staff can correct later.
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
    with transaction.atomic():
        event = _lock_event(event)
        existing = _find_active(event, email) if email else None
        if existing:
            raise AlreadyRegistered(existing)
        _check_can_register(event, now, is_staff)
        if not is_staff and seats > event.max_seats_per_registration:
            raise TooManySeats(
                ngettext(
                    "Vous pouvez réserver au plus %(max)d place.",
                    "Vous pouvez réserver au plus %(max)d places.",
                    event.max_seats_per_registration,
                )
                % {"max": event.max_seats_per_registration}
            )
        if event.registration_mode == RegistrationMode.REVIEW and not is_staff:
            status = RegistrationStatus.PENDING
        elif allow_over_capacity or _has_room(event, seats):
            status = RegistrationStatus.CONFIRMED
        elif event.waitlist_enabled:
            status = RegistrationStatus.WAITLISTED
        else:
            raise EventFull(_("Cet événement est complet : il ne reste pas assez de places."))
        registration = Registration(
            event=event,
            first_name=clean_line(first_name),
            last_name=clean_line(last_name),
            email=email,
            organisation=clean_line(organisation),
            phone=clean_line(phone),
            seats=seats,
            answers=answers or {},
            status=status,
            source=source,
            status_changed_at=now,
            consent_text=consent_text,
            consent_at=now if consent_text else None,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            existing = Registration.objects.filter(event=event, email=email, status__in=ACTIVE_STATUSES).first()
            if existing is None:
                raise
            raise AlreadyRegistered(existing) from None
        Attendee.objects.bulk_create(_new_attendees(registration, companions))
        _ensure_snapshot(event)
        _audit(registration, "registrations.register", by, status=status)
        _queue_email(registration, status)
        if status == RegistrationStatus.PENDING:
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


def _find_active(event, email):
    return Registration.objects.filter(event=event, email=email, status__in=ACTIVE_STATUSES).first()


def _check_can_register(event, now, is_staff):
    if event.registration_mode in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):
        raise RegistrationClosed(_("Cet événement ne prend pas d'inscription sur ce site."))
    if event.status == EventStatus.CANCELLED:
        raise RegistrationClosed(_("Cet événement est annulé."))
    if is_staff:
        return
    if event.status == EventStatus.POSTPONED:
        raise RegistrationClosed(_("Cet événement est reporté : les inscriptions sont suspendues."))
    opens_at, closes_at = registration_window(event)
    if opens_at and now < opens_at:
        raise RegistrationNotOpenYet(_("Les inscriptions ouvrent le %(date)s.") % {"date": format_datetime(opens_at)})
    if closes_at and now >= closes_at:
        raise RegistrationClosed()


def cancel(registration, *, by=None, notify=True):
    """Cancel an active registration, free its seats and promote the waiting list at once."""
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event)
        current = _lock_registration(registration)
        if current.status not in ACTIVE_STATUSES:
            raise InvalidTransition(_("Cette inscription est déjà annulée ou refusée."))
        _cancel_locked(event, current, by=by, notify=notify, now=now)
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
    event = registration.event
    if event.waitlist_enabled and event.registrations.filter(status=RegistrationStatus.WAITLISTED).exists():
        return CancellationOutcome.OFFERED_TO_NEXT
    return CancellationOutcome.OPEN_AGAIN


def _cancel_locked(event, current, *, by, notify, now):
    """Cancel the whole registration and promote; the caller holds the event and registration locks."""
    # A confirmed person frees seats; a waiting one may have been blocking the
    # head of the list (strict FIFO), so the people behind may now fit.
    may_promote = current.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    reason = _("Annulée par l'équipe") if by is not None else _("Annulée par la personne inscrite")
    _set_status(current, RegistrationStatus.CANCELLED, now, cancelled_reason=reason)
    _audit(current, "registrations.cancel", by)
    if notify:
        _queue_email(current, "cancelled")
    if may_promote:
        _promote_locked(event, by, now)
    _announce_availability(event)


def cancel_attendee(attendee, *, by=None, notify=True):
    """Give back one person's seat of a group; the last person's seat cancels the whole registration.

    Under the event's lock like every seat decision: ``Registration.seats``
    follows the active attendees, the freed seat goes to the waiting list
    (``_promote_locked``), and the registrant is told whose seat was cancelled.
    Returns the registration as it is now.
    """
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(attendee.registration.event)
        current = _lock_registration(attendee.registration)
        person = Attendee.objects.get(pk=attendee.pk)
        if current.status not in ACTIVE_STATUSES:
            raise InvalidTransition(_("Cette inscription est déjà annulée ou refusée."))
        if person.cancelled_at is not None:
            raise InvalidTransition(_("La place de %(name)s est déjà annulée.") % {"name": person.full_name})
        if current.attendees.filter(cancelled_at__isnull=True).count() <= 1:
            _cancel_locked(event, current, by=by, notify=notify, now=now)
        else:
            person.cancelled_at = now
            person.save(update_fields=["cancelled_at"])
            _sync_attendance(current)
            _audit(current, "registrations.cancel_attendee", by, attendee=person.position)
            if notify:
                _queue_email(current, "seat_cancelled", attendee=person)
            if current.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
                _promote_locked(event, by, now)
            _announce_availability(event)
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
        event = _lock_event(registration.event)
        current = _lock_registration(registration)
        if current.status != RegistrationStatus.PENDING:
            raise InvalidTransition(_("Seule une demande en attente de validation peut être acceptée."))
        if _has_room(event, current.seats):
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
        event = _lock_event(registration.event)
        current = _lock_registration(registration)
        if current.status not in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED):
            raise InvalidTransition(_("Seule une demande en attente ou sur liste d'attente peut être refusée."))
        was_waiting = current.status == RegistrationStatus.WAITLISTED
        _set_status(current, RegistrationStatus.REJECTED, now)
        _audit(current, "registrations.reject", by)
        if notify:
            _queue_email(current, "rejected")
        if was_waiting:
            # The refused person may have been the head of the list blocking smaller requests.
            _promote_locked(event, by, now)
        _announce_availability(event)
    _refresh(registration, current)
    return registration


def promote_waitlist(event, *, by=None):
    """Confirm waiting people in order while seats allow (strict FIFO, see the module docstring)."""
    with transaction.atomic():
        event = _lock_event(event)
        promoted = _promote_locked(event, by, timezone.now())
        if promoted:
            _announce_availability(event)
    return promoted


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


def check_in_by_code(event, value, *, by=None):
    """Check in the people of the registration behind a scanned QR code, for this event only.

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
    """Erase the personal data, keep what counts need (status, seats, presence, dates). Idempotent."""
    if registration.anonymized_at:
        return registration
    registration.first_name = _("Anonyme")
    registration.last_name = ""
    registration.email = f"anonyme-{registration.pk}@invalid"
    registration.organisation = ""
    registration.phone = ""
    registration.answers = {}
    registration.anonymized_at = timezone.now()
    registration.token = new_token()  # old self-service links and QR codes stop working
    registration.attendees.update(first_name=_("Anonyme"), last_name="", email="")
    registration.save(
        update_fields=[
            "token",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "phone",
            "answers",
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
    for field in (*fields, "cancelled_reason", "updated_at"):
        setattr(target, field, getattr(source, field))


def send_message_to_attendees(event, subject, message, *, by=None):
    """Queue one private e-mail per confirmed attendee with an address; returns how many were queued.

    Every message is stored in the outbox in one transaction with the event's
    history entry (who wrote, the subject, the number of recipients, never the
    addresses): all are queued or none, and the worker delivers and retries
    them. A subject the mail library refuses raises ``RegistrationError`` and
    nothing is queued, so staff are never told a message left when it did not.
    """
    subject = clean_line(subject)
    with transaction.atomic():
        addresses = list(
            event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymized_at__isnull=True)
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
                data={"subject": subject, "recipients": queued},
            )
    return queued
