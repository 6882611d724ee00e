r"""The attendee lists: a generator of rows, rendered as CSV or XLSX by ``core/spreadsheets.py``.

``registration_rows()`` yields plain text rows (header first), one per person
(``Attendee``): a group of three is three rows, each with its own name,
presence and e-mail, and the booking's details (who booked, organisation,
phone, seats, status, answers) repeated so that every row stands alone when
sorted or filtered. The formula-safe
writers (``write_csv``, ``iter_csv``, ``write_xlsx``) live in
``core/spreadsheets.py``, shared with the contact-form messages, and are
re-exported here. The admin download buttons and the
``export_registrations`` command both go through here, so a fix to a column or
to formula safety applies everywhere at once (see ``core/spreadsheets.py`` for
the formula and control-character rules).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_short_date
from core.spreadsheets import iter_csv, write_csv  # noqa: F401 - re-exported for the admin and the command
from core.spreadsheets import write_xlsx as _write_xlsx
from events.models import EventSchedule
from registrations.booking import BookableUnit
from registrations.models import (
    EXPIRING_STATUSES,
    Attendee,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    SessionPresence,
)
from registrations.payments import money_by_registration

CHUNK_SIZE = 2000


def format_answer(value):
    """A custom-question answer as one line of text (lists joined, booleans in French)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def attendance_label(registration, *, now=None, attendee=None):
    """Attendance in French: present, absent (the event has started) or not recorded yet.

    For a whole registration "present" means someone of it came; ``attendee``
    asks about one person of it.
    """
    if (attendee or registration).checked_in_at:
        return _("Présent·e")
    now = now or timezone.now()
    cancelled_seat = attendee is not None and attendee.cancelled_at is not None
    started = BookableUnit.of_registration(registration).start <= now  # the booked date's start, for a series
    if registration.status == RegistrationStatus.CONFIRMED and not cancelled_seat and started:
        return _("Absent·e")
    return _("Non renseignée")


def session_columns(event):
    """A course's sessions (date order) and their export headers « Séance 1 (03/03/2027) »; none for other events."""
    sessions = event.course_sessions
    headers = [
        _("Séance %(number)d (%(day)s)") % {"number": number, "day": format_short_date(session.start)}
        for number, session in enumerate(sessions, 1)
    ]
    return sessions, headers


def session_presence_label(session, registration, attendee, present, now):
    """One session's presence of one person: present, absent (the session has started) or not recorded yet."""
    if present:
        return _("Présent·e")
    attending = registration.status == RegistrationStatus.CONFIRMED and attendee.cancelled_at is None
    if attending and session.start <= now:
        return _("Absent·e")
    return _("Non renseignée")


MONEY_HEADERS = [
    gettext_lazy("Tarif"),
    gettext_lazy("Montant du tarif"),
    # Per booking, repeated on each of its rows like « Réservation de ».
    gettext_lazy("Dû (réservation)"),
    gettext_lazy("Payé (réservation)"),
    gettext_lazy("Solde (réservation)"),
    gettext_lazy("Exonération"),
]


def header_row(questions, sessions=(), *, dated=False, paid=False):
    """The column titles; ``dated`` (a series) adds « Date », the booked date, first; ``sessions``: a course's;
    ``paid``: the money columns."""
    return [
        *([_("Date")] if dated else []),
        _("Prénom"),
        _("Nom"),
        _("E-mail"),
        _("Structure"),
        _("Téléphone"),
        _("Places"),
        _("Statut"),
        _("Présence"),
        _("Inscrit·e le"),
        _("Origine"),
        _("Réponse attendue avant"),
        _("N° dans la réservation"),
        _("Réservation de"),
        *([str(header) for header in MONEY_HEADERS] if paid else []),
        *[question.label for question in questions],
        *sessions,
    ]


def registration_rows(event, *, status=None, occurrence=None):
    """Yield the header row, then one row of text per person (attendee) of ``event``'s registrations.

    For a series the first column is the booked date (« Date »), and
    ``occurrence`` limits the rows to one date. ``status`` limits the rows to
    registrations of one ``RegistrationStatus`` value. A seat cancelled from a group still comes, as « Place annulée ».
    Rows are read with ``.iterator()`` so memory stays bounded whatever the
    event size.
    """
    if status is not None and status not in RegistrationStatus.values:
        raise ValueError(status)
    questions = list(event.registration_questions.order_by("sort_order", "pk"))
    dated = event.schedule == EventSchedule.SERIES
    sessions, session_headers = session_columns(event)
    paid = event.price_tiers.exists()  # the money columns, for paid workshops only
    yield header_row(questions, session_headers, dated=dated, paid=paid)
    presences = set()
    if sessions:  # one presence column per session of a course
        presences = set(
            SessionPresence.objects.filter(session__page=event).values_list("attendee_id", "session_id").iterator()
        )

    status_labels = dict(RegistrationStatus.choices)
    source_labels = dict(RegistrationSource.choices)
    now = timezone.now()
    people = (
        Attendee.objects.filter(registration__event=event)
        .select_related("registration", "registration__occurrence")
        .order_by("registration__occurrence__start", "registration__created_at", "registration_id", "position", "pk")
    )
    if occurrence is not None:
        people = people.filter(registration__occurrence=occurrence)
    if status is not None:
        people = people.filter(registration__status=status)
    accounts = _accounts(event, status) if paid else {}
    if paid:
        people = people.select_related("price_tier")
    for person in people.iterator(chunk_size=CHUNK_SIZE):
        registration = person.registration
        registration.event = event  # avoid one query per row in attendance_label()
        if registration.occurrence_id:
            registration.occurrence.event = event
        answers = registration.answers or {}
        status_label = status_labels.get(registration.status, registration.status)
        if person.cancelled_at is not None:
            status_label = _("Place annulée")
        yield [
            *([_booked_date(registration)] if dated else []),
            person.first_name,
            person.last_name,
            person.email,
            registration.organisation,
            registration.phone,
            registration.seats,
            str(status_label),
            str(attendance_label(registration, now=now, attendee=person)),
            registration.created_at,  # a real date in XLSX, 03/07/2025 09:30 in CSV
            str(source_labels.get(registration.source, registration.source)),
            # An offer's or an address check's deadline: staff see who still has to answer, and until when.
            registration.expires_at if registration.status in EXPIRING_STATUSES else "",
            person.position,  # 1: the person who booked
            f"{registration.full_name} <{registration.email}>" if registration.email else registration.full_name,
            *(_money_cells(person, accounts[registration.pk]) if paid else []),
            *[format_answer(answers.get(question.answer_key)) for question in questions],
            *[
                str(session_presence_label(session, registration, person, (person.pk, session.pk) in presences, now))
                for session in sessions
            ],
        ]


def _booked_date(registration):
    """The date a registration of a series booked, as a real date (XLSX) or its text (CSV)."""
    return registration.occurrence.start if registration.occurrence_id else ""


def _accounts(event, status):
    """The account of every booking of the event, read once (three queries; one small object per booking)."""
    bookings = Registration.objects.filter(event=event).only("pk", "status", "status_changed_at", "expires_at")
    if status is not None:
        bookings = bookings.filter(status=status)
    bookings = list(bookings)
    for booking in bookings:
        booking.event = event
    return money_by_registration(bookings)


def _money_cells(person, account):
    """Tier and amount of the person; owed, paid (net of refunds), balance and exemption of the booking.

    Amounts are ``Decimal``: numbers in XLSX, « 60,00 » in CSV.
    """
    tier = person.price_tier
    return [
        tier.label if tier else "",
        person.price_amount if person.price_amount is not None else "",
        account.due,
        account.net_paid,
        account.balance,
        account.exemption,
    ]


def write_xlsx(rows, file, *, sheet_title=None, header=True):
    """Write rows as formula-safe XLSX (``core.spreadsheets.write_xlsx``), on a sheet named "Inscriptions"."""
    _write_xlsx(rows, file, sheet_title=sheet_title or _("Inscriptions"), header=header)


def export_filename(event, extension, occurrence=None):
    """A download name like inscriptions-atelier-numerique-2025-07-03.csv (the date's day for one date)."""
    day = timezone.localtime(occurrence.start if occurrence is not None else event.start).date().isoformat()
    return f"inscriptions-{event.slug}-{day}.{extension}"
