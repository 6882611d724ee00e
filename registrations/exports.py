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

from core.spreadsheets import iter_csv, write_csv  # noqa: F401 - re-exported for the admin and the command
from core.spreadsheets import write_xlsx as _write_xlsx
from registrations.models import EXPIRING_STATUSES, Attendee, Registration, RegistrationSource, RegistrationStatus
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
    if registration.status == RegistrationStatus.CONFIRMED and not cancelled_seat and registration.event.start <= now:
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


def header_row(questions, *, paid=False):
    return [
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
    ]


def registration_rows(event, *, status=None):
    """Yield the header row, then one row of text per person (attendee) of ``event``'s registrations.

    ``status`` limits the rows to registrations of one ``RegistrationStatus``
    value. A seat cancelled from a group still comes, as « Place annulée ».
    Rows are read with ``.iterator()`` so memory stays bounded whatever the
    event size.
    """
    if status is not None and status not in RegistrationStatus.values:
        raise ValueError(status)
    questions = list(event.registration_questions.order_by("sort_order", "pk"))
    paid = event.price_tiers.exists()  # the money columns, for paid workshops only
    yield header_row(questions, paid=paid)

    status_labels = dict(RegistrationStatus.choices)
    source_labels = dict(RegistrationSource.choices)
    now = timezone.now()
    people = (
        Attendee.objects.filter(registration__event=event)
        .select_related("registration")
        .order_by("registration__created_at", "registration_id", "position", "pk")
    )
    if status is not None:
        people = people.filter(registration__status=status)
    accounts = _accounts(event, status) if paid else {}
    if paid:
        people = people.select_related("price_tier")
    for person in people.iterator(chunk_size=CHUNK_SIZE):
        registration = person.registration
        registration.event = event  # avoid one query per row in attendance_label()
        answers = registration.answers or {}
        status_label = status_labels.get(registration.status, registration.status)
        if person.cancelled_at is not None:
            status_label = _("Place annulée")
        yield [
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
        ]


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


def export_filename(event, extension):
    """A download name like inscriptions-atelier-numerique-2025-07-03.csv."""
    day = timezone.localtime(event.start).date().isoformat()
    return f"inscriptions-{event.slug}-{day}.{extension}"
