"""Demo funded actions: last year's, whose registrations are all anonymised, and this year's, with a course.

So the report shows figures that survived anonymisation (last year's have
only the anonymous statistics rows left) next to live ones. Everything is
fictitious (example.org addresses); idempotent: events are looked up by slug
and given people only once, actions by title.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.dates import local_zone
from events import structure
from events.models import CourseSession, EventPage, EventSchedule
from funders.models import FundedAction, FundedActionEvent, FundedActionTarget, Indicator
from home.demo import picture
from home.models import Partner
from registrations import payments, services
from registrations.models import (
    Attendee,
    AudienceQuestion,
    PriceTier,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    SessionPresence,
)

# Answers cycled over the demo people: about half live in a priority neighbourhood.
NEIGHBOURHOODS = [
    "Aux Grésilles",
    "Aux Grésilles",
    "Dans un autre quartier prioritaire de Dijon",
    "À Dijon, hors quartier prioritaire",
    "Dans la métropole (hors Dijon)",
    "Aux Grésilles",
    "Ailleurs",
    "",
]
AGES = ["26 à 64 ans", "18 à 25 ans", "65 ans et plus", "26 à 64 ans", "Moins de 18 ans", ""]
STATUSES = ["Habitant·e", "Habitant·e", "Professionnel·le", "Étudiant·e", "Habitant·e", "Autre"]

LAST_YEAR_EVENTS = [  # slug, title, category, month, day, people, picture (home/demo.py IMAGE_SPECS)
    ("repair-cafe-des-gresilles-printemps", "Repair café des Grésilles (printemps)", "atelier", 3, 14, 14, "project"),
    (
        "soiree-jeux-place-galilee",
        "Soirée jeux sur la place Galilée",
        "evenement-festif-et-citoyen",
        6,
        20,
        22,
        "party",
    ),
    ("repair-cafe-des-gresilles-automne", "Repair café des Grésilles (automne)", "atelier", 10, 10, 12, "project"),
    ("fabrique-de-decorations-de-quartier", "Fabrique de décorations de quartier", "atelier", 12, 5, 9, "garden"),
]
THIS_YEAR_EVENTS = [  # slug, title, category, days before today, people, picture
    (
        "carnaval-des-gresilles",
        "Préparation du carnaval des Grésilles",
        "evenement-festif-et-citoyen",
        120,
        18,
        "party",
    ),
    ("repair-cafe-des-gresilles-rentree", "Repair café des Grésilles (rentrée)", "atelier", 45, 11, "project"),
]
COURSE_SLUG = "parcours-numerique-pour-tous"
COURSE_PEOPLE = 8
# The course's tiers: the report's « Payant ou gratuit » splits its people (one exempted, counted free).
COURSE_TIERS = [("Tarif solidaire", Decimal("10.00")), ("Gratuit — habitant·es des Grésilles", Decimal("0.00"))]


def load(site):
    """Both actions and their events (idempotent)."""
    agenda = structure.agenda(site)
    categories = structure.categories()
    venue = structure.default_venue()
    today = timezone.localdate()
    last_year, this_year = today.year - 1, today.year

    last_events = []
    for index, (slug, title, category, month, day, people, image) in enumerate(LAST_YEAR_EVENTS):
        start = _at(datetime.date(last_year, month, day), 14)
        event = _event(
            agenda, slug, title=title, category=categories[category], start=start, venue=venue, image=picture(image)
        )
        _attendance(event, people, offset=index * 5, anonymise=True)
        last_events.append(event)

    this_events = []
    for index, (slug, title, category, days, people, image) in enumerate(THIS_YEAR_EVENTS):
        day = max(datetime.date(this_year, 1, 2), today - datetime.timedelta(days=days))
        event = _event(
            agenda,
            slug,
            title=title,
            category=categories[category],
            start=_at(day, 14),
            venue=venue,
            image=picture(image),
        )
        # The older event is past the retention period: anonymised; the recent one is still live.
        _attendance(event, people, offset=40 + index * 6, anonymise=index == 0)
        this_events.append(event)
    this_events.append(_course(agenda, categories["formation"], venue, today))

    funders = {
        partner.name: partner for partner in Partner.objects.filter(name__in=["Ville de Dijon", "Dijon Métropole"])
    }
    _action(
        f"Vivre ensemble aux Grésilles {last_year}",
        scheme=f"Contrat de ville — appel à projets {last_year}",
        years=(last_year, last_year),
        funders=[funders.get("Ville de Dijon")],
        funder_text="État — politique de la ville",
        events=last_events,
        targets=[(Indicator.PARTICIPANTS, 50, {}), (Indicator.EVENTS, 4, {}), _qpv_share()],
        note="Quatre rendez-vous qui ont fait venir des voisines et voisins qui ne fréquentaient pas encore "
        "La Coursive ; le repair café est devenu un rendez-vous attendu.",
    )
    _action(
        f"Inclusion numérique et vie de quartier {this_year}",
        scheme="Politique de la ville — inclusion numérique",
        years=(this_year, this_year),
        funders=[funders.get("Dijon Métropole")],
        funder_text="",
        events=this_events,
        targets=[
            (Indicator.PARTICIPANTS, 40, {}),
            (Indicator.PEOPLE, 30, {}),
            _qpv_share(),
            (Indicator.COMPLETION, 70, {}),
        ],
        note="",
    )


def _qpv_share():
    question = AudienceQuestion.objects.filter(key="quartier").first()
    answers = "Aux Grésilles\nDans un autre quartier prioritaire de Dijon"
    return (Indicator.ANSWER_SHARE, 40, {"question": question, "answers": answers, "label": "habitant les QPV"})


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=local_zone())


def _event(agenda, slug, **fields):
    existing = EventPage.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    fields.setdefault("end", fields["start"] + datetime.timedelta(hours=3))
    fields.setdefault("summary", "Un rendez-vous de quartier ouvert à toutes et tous, gratuit.")
    page = agenda.add_child(
        instance=EventPage(
            slug=slug,
            live=False,
            registration_mode=RegistrationMode.OPEN,
            capacity=30,
            **fields,
        )
    )
    page.audience_questions.set(AudienceQuestion.objects.all())
    page.save()  # a parental relation is written with the page (and kept in its revision)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def _person(n):
    """The n-th fictitious neighbour: the same n is the same person (and address) at every event."""
    return f"Voisin·e {n}", "Démo", f"voisin{n}@example.org"


def _attendance(event, people, *, offset, anonymise):
    """``people`` registrations (one seat, most checked in), then anonymised if asked; once per event."""
    if event.registrations.exists():
        return []
    made = []
    for index in range(people):
        n = (offset + index) % 60  # people come back: the numbers overlap from one event to the next
        first_name, last_name, email = _person(n)
        present = index % 7 != 6  # about one in seven did not come
        registration = Registration.objects.create(
            event=event,
            first_name=first_name,
            last_name=last_name,
            email=email,
            status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.WEB,
            status_changed_at=event.start - datetime.timedelta(days=7),
            seats_present=1 if present else 0,
            checked_in_at=event.start if present else None,
            audience=_answers(n),
        )
        attendee = Attendee.registrant_of(registration)
        attendee.checked_in_at = registration.checked_in_at
        attendee.save()
        made.append((registration, attendee))
    if anonymise:
        for registration, _attendee in made:
            services.anonymize(registration)
    return made


def _answers(n):
    answers = {
        "quartier": NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)],
        "age": AGES[n % len(AGES)],
        "statut": STATUSES[n % len(STATUSES)],
        "premiere_venue": "Oui" if n % 3 == 0 else "Non",
    }
    return {key: value for key, value in answers.items() if value}


def _course(agenda, category, venue, today):
    """A course of three sessions this year, with two tiers and presence per session (live registrations)."""
    first = max(datetime.date(today.year, 1, 2), today - datetime.timedelta(days=30))
    titles = ["Séance 1 : le courriel", "Séance 2 : les démarches en ligne", "Séance 3 : la visio"]
    # The sessions are written with the page: a course is valid only with them (``EventPage.clean``).
    course = _event(
        agenda,
        COURSE_SLUG,
        title="Parcours « Le numérique pour tous » (3 séances)",
        category=category,
        start=_at(first, 10),
        venue=venue,
        schedule=EventSchedule.COURSE,
        image=picture("coworking"),
        summary="Trois séances pour prendre en main le numérique : tarif solidaire de 10 €, gratuit pour les "
        "habitant·es des Grésilles.",
        price_tiers=[
            PriceTier(sort_order=n, label=label, amount=amount) for n, (label, amount) in enumerate(COURSE_TIERS)
        ],
        sessions=[
            CourseSession(sort_order=n, title=title, start=_at(first, 10) + datetime.timedelta(days=7 * n))
            for n, title in enumerate(titles)
        ],
    )
    sessions = list(course.sessions.order_by("sort_order", "pk"))
    tiers = list(course.price_tiers.order_by("sort_order", "pk"))
    for index, (registration, attendee) in enumerate(_attendance(course, COURSE_PEOPLE, offset=50, anonymise=False)):
        tier = tiers[1] if index % 3 == 0 else tiers[0]  # one in three lives at the Grésilles: free
        Attendee.objects.filter(pk=attendee.pk).update(price_tier=tier, price_amount=tier.amount)
        if index == 1:
            payments.exempt(registration, reason="Bénévole de l'association")
        attended = sessions if index % 4 else sessions[:1]  # one in four stopped after the first session
        for session in attended:
            if session.start <= timezone.now():
                SessionPresence.objects.create(attendee=attendee, session=session, checked_in_at=session.start)
    return course


def _action(title, *, scheme, years, funders, funder_text, events, targets, note):
    if FundedAction.objects.filter(title=title).exists():
        return
    action = FundedAction.objects.create(
        title=title, scheme=scheme, first_year=years[0], last_year=years[1], funder_text=funder_text, note=note
    )
    action.funders.set([partner for partner in funders if partner])
    action.save()  # a parental relation is written with the action
    for order, event in enumerate(events):
        FundedActionEvent.objects.create(action=action, event=event, sort_order=order)
    for order, (indicator, target, extra) in enumerate(targets):
        FundedActionTarget.objects.create(action=action, indicator=indicator, target=target, sort_order=order, **extra)
