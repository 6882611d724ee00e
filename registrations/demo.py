"""Demo registrations, all clearly fictitious (example.org addresses never receive mail).

Two questions and three confirmed registrants on the upcoming workshop, and two
requests awaiting the staff's decision on the training whose registrations are
reviewed, so that approving and refusing can be shown. When the demo has a
series (made by ``events.demo``) with dates to come, a few people on its first
two dates, so that the per-date seats, lists and exports can be shown. The
three-session course has registrations next season, and its past edition the
presence of each person at each session (sign-in sheets and completion with
real figures).

The paid three-day training (« formation-tiers-lieux-3-jours », made by the
events demo; the reviewed training stands in for it when it is absent) gets
two tiers, a refund rule and six registrations settled in different ways:
cheque, cash, transfer with an invoice to an employer, a partial card
payment, a cancellation refunded, an exemption. The texts name two tiers and
20 seats but no amounts: 240 € and 120 € are placeholders for the team to
correct in the event's « Inscriptions » tab.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from events.demo import COURSE_SLUG, PAST_COURSE_SLUG, REVIEWED_TRAINING_SLUG, UPCOMING_WORKSHOP_SLUG
from events.models import EventPage, EventSchedule, OccurrenceStatus
from registrations import payments
from registrations.forms import CONSENT_TEXT
from registrations.models import (
    Attendee,
    PaymentKind,
    PaymentMethod,
    PriceTier,
    ProofRule,
    QuestionType,
    Registration,
    RegistrationMode,
    RegistrationQuestion,
    RegistrationSource,
    RegistrationStatus,
    SessionPresence,
)

QUESTIONS = [
    {
        "label": "Type de structure",
        "field_type": QuestionType.SINGLE_CHOICE,
        "required": True,
        "choices": "Association\nMusée ou institution culturelle\nTiers-lieu\nCollectivité\n"
        "Recherche ou enseignement\nÀ titre personnel",
        "help_text": "Pour équilibrer les tables d'échange.",
    },
    {
        "label": "Repas du midi",
        "field_type": QuestionType.MULTIPLE_CHOICE,
        "required": False,
        "choices": "Végétarien\nSans gluten\nSans porc\nJe ne déjeune pas sur place",
        "help_text": "Le déjeuner est offert ; cochez ce qui vous concerne.",
    },
]

# Obviously fictitious people (example.org addresses never receive mail).
DEMO_PEOPLE = [
    ("Alix", "Exemple", "Association"),
    ("Dominique", "Démo", "Tiers-lieu"),
    ("Sacha", "Fictif", "Musée ou institution culturelle"),
]

# Pre-registrations waiting for the staff on the reviewed training: first name, last name, organisation.
DEMO_REQUESTS = [
    ("Camille", "Essai", "Tiers-lieu en projet"),
    ("Noa", "Exemplaire", "Association de quartier"),
]


# People on the first two dates of the demo series: (first name, last name) for each date.
DEMO_SERIES_PEOPLE = [
    [("Lou", "Exemple"), ("Maël", "Démo"), ("Inès", "Fictive")],
    [("Yanis", "Essai"), ("Zoé", "Exemplaire")],
]


# The paid training of the texts: looked up by slug, never created here (the events demo makes it).
PAID_TRAINING_SLUGS = ["formation-tiers-lieux-3-jours", REVIEWED_TRAINING_SLUG]
FULL_PRICE = "Plein tarif"
REDUCED_PRICE = "Tarif réduit — étudiant·es, artistes inscrit·es à la Maison des Artistes, demandeur·ses d'emploi"
# (first name, last name, organisation, tier, [(kind, amount, method, note)], what else happens)
PAID_PEOPLE = [
    ("Alix", "Chèque", "", FULL_PRICE, [("payment", "240", PaymentMethod.CHEQUE, "Chèque n° 0001234")], ""),
    ("Dominique", "Espèces", "", REDUCED_PRICE, [("payment", "120", PaymentMethod.CASH, "")], ""),
    (
        "Sacha",
        "Virement",
        "Communauté de communes Exemple",
        FULL_PRICE,
        [("payment", "240", PaymentMethod.TRANSFER, "Virement réf. FORMATION-TL")],
        "invoice",
    ),
    ("Noa", "Acompte", "", REDUCED_PRICE, [("payment", "60", PaymentMethod.CARD_ON_SITE, "Acompte")], ""),
    (
        "Camille",
        "Remboursée",
        "",
        FULL_PRICE,
        [
            ("payment", "240", PaymentMethod.CHEQUE, "Chèque n° 0005678"),
            ("refund", "240", PaymentMethod.TRANSFER, "Annulation plus de 14 jours avant"),
        ],
        "cancelled",
    ),
    ("Lou", "Bénévole", "", FULL_PRICE, [], "exempt"),
]


def load(site):
    """The demo registrations (idempotent)."""
    _workshop_registrations()
    _pending_requests()
    _series_registrations()
    _paid_training()
    _course_registrations()


def _workshop_registrations():
    """Questions and three confirmed registrations on the upcoming workshop."""
    event = EventPage.objects.filter(slug=UPCOMING_WORKSHOP_SLUG).first()
    if event is None:
        return
    if not event.registration_questions.exists():
        for order, question in enumerate(QUESTIONS):
            RegistrationQuestion.objects.create(page=event, sort_order=order, **question)
        # Keep the questions in the latest revision, so that the editor shows them.
        event = EventPage.objects.get(pk=event.pk)
        event.save_revision().publish()
    questions = {q.label: q.answer_key for q in event.registration_questions.all()}
    for first_name, last_name, kind in DEMO_PEOPLE:
        email = f"{first_name}.{last_name}@example.org".lower()
        if event.registrations.filter(email=email).exists():
            continue
        # Seed rows written directly (no e-mail to send, 3 of 30 seats: nothing to decide).
        registration = Registration.objects.create(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=email,
            answers={questions["Type de structure"]: kind, questions["Repas du midi"]: []},
            status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.STAFF,
            status_changed_at=timezone.now(),
        )
        Attendee.registrant_of(registration).save()  # one line per person at the door and on the sheet


def _pending_requests():
    """Requests awaiting approval on the training whose registrations the staff review."""
    event = EventPage.objects.filter(slug=REVIEWED_TRAINING_SLUG).first()
    if event is None:
        return
    for first_name, last_name, organisation in DEMO_REQUESTS:
        email = f"{first_name}.{last_name}@example.org".lower()
        if event.registrations.filter(email=email).exists():
            continue
        now = timezone.now()
        # Seed rows as the public form leaves them in review mode (pending, consent recorded);
        # deciding on them is the staff's part of the demo, through the services.
        registration = Registration.objects.create(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation=organisation,
            status=RegistrationStatus.PENDING,
            source=RegistrationSource.WEB,
            status_changed_at=now,
            consent_at=now,
            consent_text=str(CONSENT_TEXT),
        )
        Attendee.registrant_of(registration).save()


def _series_registrations():
    """A few confirmed people on two dates to come of the demo series; nothing when there is no series with dates."""
    series = (
        EventPage.objects.live()
        .filter(schedule=EventSchedule.SERIES, capacity__isnull=False)
        .exclude(registration_mode__in=[RegistrationMode.NONE, RegistrationMode.EXTERNAL])
        .order_by("start", "pk")
        .first()
    )
    if series is None:
        return
    dates = series.occurrences.filter(start__gt=timezone.now(), status=OccurrenceStatus.SCHEDULED).order_by("start")
    for date, people in zip(dates[:2], DEMO_SERIES_PEOPLE, strict=False):
        capacity = date.capacity if date.capacity is not None else series.capacity
        for first_name, last_name in people[:capacity]:  # never more than the date's seats
            email = f"{first_name}.{last_name}@example.org".lower()
            if date.registrations.filter(email=email).exists():
                continue
            # Seed rows written directly, as above (a few seats of a date: nothing to decide, no e-mail).
            registration = Registration.objects.create(
                event=series,
                occurrence=date,
                first_name=first_name,
                last_name=last_name,
                email=email,
                status=RegistrationStatus.CONFIRMED,
                source=RegistrationSource.STAFF,
                status_changed_at=timezone.now(),
            )
            Attendee.registrant_of(registration).save()


# The course's trainees: first name, last name, organisation, and for the past edition the sessions
# each came to (1, 2, 3): six followed it all, two missed one, one came only on the first day.
COURSE_PEOPLE = [
    ("Lou", "Exemple", "Tiers-lieu en projet", (1, 2, 3)),
    ("Maël", "Démo", "Friche culturelle", (1, 2, 3)),
    ("Inès", "Fictive", "Boutique-atelier", (1, 2, 3)),
    ("Jules", "Essai", "Espace de coworking", (1, 2, 3)),
    ("Rose", "Modèle", "Médiathèque troisième lieu", (1, 2, 3)),
    ("Yanis", "Témoin", "Association de quartier", (1, 2, 3)),
    ("Léna", "Spécimen", "Collectivité", (1, 3)),
    ("Hugo", "Prototype", "Tiers-lieu rural", (1, 2)),
    ("Sam", "Maquette", "À titre personnel", (1,)),
]
UPCOMING_COURSE_PEOPLE = 6


def _confirmed(event, first_name, last_name, organisation):
    """A confirmed seed registration (and its attendee) unless this person is already registered."""
    email = f"{first_name}.{last_name}@example.org".lower()
    registration = event.registrations.filter(email=email).first()
    if registration is None:
        registration = Registration.objects.create(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation=organisation,
            status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.STAFF,
            status_changed_at=timezone.now(),
        )
        Attendee.registrant_of(registration).save()
    return registration


def _course_registrations():
    """Registrations on the course; on its past edition, presence recorded at each session."""
    upcoming = EventPage.objects.filter(slug=COURSE_SLUG).first()
    # A paid course has its people from ``_paid_training`` (each with a tier): no tier-less seats beside them.
    if upcoming is not None and not upcoming.price_tiers.exists():
        for first_name, last_name, organisation, _sessions in COURSE_PEOPLE[:UPCOMING_COURSE_PEOPLE]:
            _confirmed(upcoming, first_name, last_name, organisation)
    past = EventPage.objects.filter(slug=PAST_COURSE_SLUG).first()
    if past is None:
        return
    sessions = past.course_sessions
    for first_name, last_name, organisation, attended in COURSE_PEOPLE:
        registration = _confirmed(past, first_name, last_name, organisation)
        person = registration.attendees.get(position=1)
        # Seed rows as ``services.check_in_session`` leaves them: one row per session attended,
        # ``checked_in_at`` = the first presence ("came at least once").
        for number in attended:
            session = sessions[number - 1]
            SessionPresence.objects.get_or_create(
                attendee=person, session=session, defaults={"checked_in_at": session.start + timedelta(minutes=10)}
            )
        first = person.session_presences.order_by("checked_in_at").first()
        Attendee.objects.filter(pk=person.pk).update(checked_in_at=first.checked_in_at)
        Registration.objects.filter(pk=registration.pk).update(seats_present=1, checked_in_at=first.checked_in_at)


def _paid_training():
    """Tiers, a refund rule and registrations paid in different ways on the three-day training."""
    event = next(
        (found for slug in PAID_TRAINING_SLUGS if (found := EventPage.objects.filter(slug=slug).first())), None
    )
    if event is None:
        return
    if not event.price_tiers.exists():
        PriceTier.objects.create(page=event, sort_order=0, label=FULL_PRICE, amount=Decimal("240.00"))
        PriceTier.objects.create(
            page=event,
            sort_order=1,
            label=REDUCED_PRICE,
            amount=Decimal("120.00"),
            eligibility="Étudiant·es, artistes inscrit·es à la Maison des Artistes, demandeur·ses d'emploi",
            proof=ProofRule.ON_SITE,
        )
        event = EventPage.objects.get(pk=event.pk)
        event.capacity = 20
        event.refund_days_before = 14
        event.save_revision().publish()  # the editor shows the tiers and the rule
    tiers = {tier.label: tier for tier in event.price_tiers.all()}
    for first_name, last_name, organisation, tier, movements, extra in PAID_PEOPLE:
        email = f"{first_name}.{last_name}@example.org".lower()
        if event.registrations.filter(email=email).exists():
            continue
        now = timezone.now()
        # Seed rows written directly, as for the workshop: no e-mail leaves for these fictitious people.
        registration = Registration.objects.create(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation=organisation,
            status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.STAFF,
            status_changed_at=now,
        )
        attendee = Attendee.registrant_of(registration)
        attendee.price_tier = tiers[tier]
        attendee.price_amount = tiers[tier].amount
        attendee.save()
        if extra == "exempt":
            payments.exempt(registration, reason="Bénévole de l'association, encadre les ateliers")
        for kind, amount, method, note in movements:
            if kind == PaymentKind.REFUND:
                # Cancelled well before the refund limit: what was paid is given back, and recorded.
                registration.status = RegistrationStatus.CANCELLED
                registration.status_changed_at = now
                registration.cancelled_reason = "Annulée par la personne inscrite"
                registration.save(update_fields=["status", "status_changed_at", "cancelled_reason"])
            payments.record_payment(
                registration,
                amount=amount,
                method=method,
                paid_on=timezone.localdate() - datetime.timedelta(days=3),
                kind=kind,
                note=note,
            )
        if extra == "invoice":
            payments.issue_invoice(
                registration,
                customer_name=organisation,
                customer_address="1 place de la Mairie\n21000 Exempleville",
                customer_siret="00000000000000",
            )
