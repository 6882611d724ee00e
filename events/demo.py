"""Demo agenda: a second venue, the partners and a few events, on top of the agenda's structure.

The categories, the default venue (La Coursive) and the agenda page come from
``events/structure.py``, which ``setup_site`` also uses. Built from the facts in
shared/content (the 2024 Ocim workshop at La Coursive, a three-day training
with limited seats, the neighbourhood life of the Grésilles). Idempotent:
everything is looked up by slug or name, and an event that already exists is
left alone (its date does not move on a re-run).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core.dates import local_zone
from events import structure
from events.models import CourseSession, EventPage, EventPartner, EventSchedule, Venue
from home import demo as home_demo
from home.models import Partner, PartnerCategory

UPCOMING_WORKSHOP_SLUG = "atelier-tiers-lieux-et-institutions-culturelles"
# The upcoming training whose registrations the staff review ("pré-inscription").
REVIEWED_TRAINING_SLUG = "formation-animer-un-lieu-partage"
# The three-session course (one registration, presence per session), next season and its past edition.
COURSE_SLUG = "formation-tiers-lieux-3-jours"
PAST_COURSE_SLUG = "formation-tiers-lieux-3-jours-edition-precedente"


# The weekly series of the season (Tuesdays, out of zone A school holidays and public holidays).
SERIES_SLUG = "atelier-numerique"
SEASON = (date(2026, 9, 1), date(2027, 6, 29))
# One date moved by hand: Tuesday 9 March 2027 takes place on Thursday 11 March, in the morning.
MOVED_DATE = (date(2027, 3, 9), date(2027, 3, 11), time(9, 30), time(12, 30))

PARTNERS = {
    "Ocim": PartnerCategory.INSTITUTIONAL,
    "La Coursive Boutaric": PartnerCategory.HOST,
    "Consortium SAPS UBFC": PartnerCategory.NETWORK,
    "Au jardin des voisins": PartnerCategory.NETWORK,
    "Grand Dijon Habitat": PartnerCategory.INSTITUTIONAL,
    "Radio Dijon Campus": PartnerCategory.MEMBER,
    "Zutique productions": PartnerCategory.MEMBER,
}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


def _on_or_after(day, weekday):
    """The first ``weekday`` (0 = Monday) on or after ``day``: workshops avoid weekends."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _battant():
    """The second venue of the demo, in Besançon."""
    battant, _created = Venue.objects.get_or_create(
        name="Le 52 Battant",
        defaults={
            "address": "52 rue Battant",
            "postcode": "25000",
            "city": "Besançon",
            "access_notes": "Dans le quartier Battant, au centre de Besançon.",
        },
    )
    return battant


def _partners():
    return {
        name: Partner.objects.get_or_create(name=name, defaults={"category": category})[0]
        for name, category in PARTNERS.items()
    }


def _event(agenda, partners, slug, partner_roles, *, picture=None, **fields):
    """Create and publish one event unless an event with this slug already exists.

    ``picture`` names a drawing of home/demo_pictures.py: agenda cards differ from one another.
    An existing event without a picture gets its own.
    """
    image = home_demo.picture(picture) if picture else None
    existing = EventPage.objects.filter(slug=slug).first()
    if existing is not None:
        if image is not None and existing.image_id is None:
            existing.image = image
            existing.save_revision(log_action=False).publish(log_action=False)
        return existing
    page = agenda.add_child(instance=EventPage(slug=slug, live=False, image=image, **fields))
    for order, (name, role) in enumerate(partner_roles):
        EventPartner.objects.create(page=page, partner=partners[name], role=role, sort_order=order)
    page.save_revision().publish()
    return page


def load(site):
    """Create the demo agenda under the site's home page (idempotent)."""
    categories = structure.categories()
    coursive = structure.default_venue()
    battant = _battant()
    partners = _partners()
    agenda = structure.agenda(site)
    today = timezone.localtime(timezone.now(), local_zone()).date()

    _event(
        agenda,
        partners,
        "tiers-lieux-et-institutions-culturelles-2024",
        [("Ocim", "organiser"), ("La Coursive Boutaric", "partner"), ("Consortium SAPS UBFC", "partner")],
        picture="network",
        title="Tiers-lieux et institutions culturelles : coopérer et faire commun sur le territoire",
        category=categories["atelier"],
        summary="Un workshop de l'Ocim pour croiser les regards des musées, des tiers-lieux, "
        "de la recherche et des acteurs associatifs sur leurs coopérations.",
        start=_at(date(2024, 7, 3), 0),
        end=_at(date(2024, 7, 3), 0),
        all_day=True,
        venue=coursive,
        access_and_price="Gratuit — inscription obligatoire",
        audience="Équipes des musées et des institutions culturelles, personnes qui font vivre "
        "des tiers-lieux culturels ou d'innovation ouverte, chercheurs, acteurs des industries "
        "culturelles et créatives, et toute personne que la question intéresse.",
        objectives="<ul><li>Mieux se connaître entre professionnels des tiers-lieux et des musées "
        "pour imaginer des actions communes</li><li>Explorer les coopérations possibles entre "
        "ces acteurs</li><li>Questionner les pratiques au regard du dialogue entre sciences et "
        "société</li></ul>",
        registration_mode="review",
    )

    workshop_day = _on_or_after(today + timedelta(days=21), 3)  # a Thursday
    _event(
        agenda,
        partners,
        UPCOMING_WORKSHOP_SLUG,
        [("Ocim", "organiser"), ("La Coursive Boutaric", "organiser"), ("Consortium SAPS UBFC", "partner")],
        picture="workshop",
        title="Atelier : tiers-lieux et institutions culturelles, faire commun sur le territoire",
        category=categories["atelier"],
        summary="Une journée d'échanges et de retours d'expérience pour construire des coopérations "
        "entre tiers-lieux, musées et acteurs du territoire.",
        start=_at(workshop_day, 9, 30),
        end=_at(workshop_day, 17),
        venue=coursive,
        access_and_price="Gratuit — inscription obligatoire, dans la limite des places disponibles",
        audience="Professionnels des institutions culturelles et des musées, équipes de tiers-lieux, "
        "chercheurs et acteurs associatifs engagés sur ces questions.",
        objectives="<ul><li>Partager des expériences de coopération entre lieux</li>"
        "<li>Identifier des projets à mener ensemble sur le territoire</li>"
        "<li>Réfléchir aux valeurs communes : hospitalité, réciprocité, ouverture</li></ul>",
        registration_mode="open",
        capacity=30,
        waitlist_enabled=True,
        confirmation_message="Les informations pratiques (accueil, déjeuner) vous seront envoyées "
        "quelques jours avant l'atelier.",
    )

    training_day = _on_or_after(today + timedelta(days=45), 0)  # Monday to Wednesday
    _event(
        agenda,
        partners,
        REVIEWED_TRAINING_SLUG,
        [("La Coursive Boutaric", "organiser")],
        picture="coworking",
        title="Formation : animer un lieu partagé et sa communauté",
        category=categories["formation"],
        summary="Trois jours pour outiller vos pratiques coopératives, mutualiser un lieu "
        "et animer la communauté qui le fait vivre.",
        start=_at(training_day, 9, 30),
        end=_at(training_day + timedelta(days=2), 17),
        venue=battant,
        access_and_price="Deux tarifs : plein tarif et tarif réduit (étudiants, artistes-auteurs, "
        "personnes en recherche d'emploi)",
        audience="Porteurs de projets de tiers-lieux, de boutiques-ateliers ou d'espaces de coworking.",
        registration_mode="review",
        capacity=20,
        waitlist_enabled=True,
    )

    party_day = _on_or_after(today + timedelta(days=10), 4)  # a Friday evening
    _event(
        agenda,
        partners,
        "fete-de-la-place-galilee",
        [
            ("La Coursive Boutaric", "organiser"),
            ("Au jardin des voisins", "partner"),
            ("Radio Dijon Campus", "partner"),
            ("Grand Dijon Habitat", "partner"),
        ],
        picture="party",
        title="Fête de la place Galilée",
        category=categories["evenement-festif-et-citoyen"],
        summary="Une soirée ouverte à tous les habitants des Grésilles : musique, jeux et "
        "rencontres avec les structures installées à La Coursive.",
        start=_at(party_day, 18),
        end=_at(party_day, 22),
        venue=coursive,
        access_and_price="Gratuit, sans inscription",
        audience="Tout public, en famille ou entre voisins.",
        registration_mode="none",
    )

    _courses(agenda, partners, categories["formation"], coursive, battant, today)

    exhibition_start = _on_or_after(today + timedelta(days=30), 1)
    _event(
        agenda,
        partners,
        "exposition-les-gresilles-en-images",
        [("La Coursive Boutaric", "organiser"), ("Zutique productions", "partner")],
        picture="neighbourhood",
        title="Exposition : les Grésilles en images",
        category=categories["exposition"],
        summary="Photographies et récits d'habitants sur la vie du quartier, de l'immeuble "
        "Boutaric à la place Galilée.",
        start=_at(exhibition_start, 0),
        end=_at(exhibition_start + timedelta(days=13), 0),
        all_day=True,
        venue=coursive,
        access_and_price="Gratuit, aux heures d'ouverture du lieu",
        audience="Tout public.",
    )
    _series(agenda, partners, categories, coursive)
    return agenda


# The three sessions of the course: (title, start, end) on three consecutive days, the second at Le 52 Battant.
COURSE_SESSIONS = [
    ("Jour 1 : outiller ses pratiques coopératives", (9, 30), (17, 0)),
    ("Jour 2 : mutualiser un lieu, visite du 52 Battant", (9, 30), (17, 0)),
    ("Jour 3 : animer sa communauté et prototyper", (9, 30), (16, 0)),
]


def _course_fields(category, coursive, battant, first_day):
    """What both editions of the course share; the sessions are dated from ``first_day`` (a Monday)."""
    sessions = [
        CourseSession(
            title=title,
            start=_at(first_day + timedelta(days=number), *start),
            end=_at(first_day + timedelta(days=number), *end),
            venue=battant if number == 1 else None,
            sort_order=number,
        )
        for number, (title, start, end) in enumerate(COURSE_SESSIONS)
    ]
    return {
        "title": "Formation en trois séances : créer et faire vivre un lieu partagé",
        "category": category,
        "schedule": EventSchedule.COURSE,
        "sessions": sessions,
        "summary": "Trois journées de formation pratique pour structurer vos coopérations, mutualiser un lieu "
        "et animer la communauté qui le fait vivre, du tiers-lieu à la boutique-atelier.",
        "venue": coursive,
        "access_and_price": "Deux tarifs : plein tarif, ou tarif réduit pour les étudiant·es, les artistes "
        "inscrit·es à la Maison des artistes et les personnes en recherche d'emploi",
        "audience": "Personnes qui portent ou animent un lieu partagé : tiers-lieu, friche culturelle, "
        "équipement public « troisième lieu », espace de coworking, boutique-atelier.",
        "objectives": "<ul><li>Structurer des pratiques collaboratives pour créer ensemble</li>"
        "<li>Mutualiser un lieu pour concevoir, réaliser et faire connaître ses créations</li>"
        "<li>Animer une communauté et nouer des partenariats sur son territoire</li></ul>",
        "registration_mode": "open",
        "capacity": 20,
        "waitlist_enabled": True,
        "confirmation_message": "Votre inscription vaut pour les trois séances. Pensez à venir aux trois : "
        "l'attestation de formation est remise à celles et ceux qui ont suivi tout le parcours.",
    }


def _courses(agenda, partners, category, coursive, battant, today):
    """The course next season (open for registration) and its past edition (with its presence figures)."""
    roles = [("La Coursive Boutaric", "organiser")]
    upcoming = _on_or_after(today + timedelta(days=75), 0)
    _event(
        agenda,
        partners,
        COURSE_SLUG,
        roles,
        picture="coworking",
        **_course_fields(category, coursive, battant, upcoming),
    )
    past = _on_or_after(today - timedelta(days=60), 0)
    fields = _course_fields(category, coursive, battant, past)
    fields["title"] += " (édition précédente)"
    _event(agenda, partners, PAST_COURSE_SLUG, roles, picture="coworking", **fields)


def _series(agenda, partners, categories, coursive):
    """The weekly « Atelier numérique » of the season, with one date moved to a Thursday morning.

    Publishing creates its dates (``events.occurrences``): those still to come.
    """
    page = _event(
        agenda,
        partners,
        SERIES_SLUG,
        [("La Coursive Boutaric", "organiser")],
        picture="coworking",
        title="Atelier numérique : le mardi, on s'entraide",
        category=categories["atelier"],
        summary="Chaque mardi après-midi, venez avec votre téléphone, votre ordinateur ou vos "
        "papiers en ligne : on cherche ensemble, à plusieurs, sans jugement.",
        schedule=EventSchedule.SERIES,
        repeat_frequency="weekly",
        repeat_weekdays="1",
        repeat_from=SEASON[0],
        repeat_until=SEASON[1],
        repeat_start_time=time(14),
        repeat_end_time=time(17),
        repeat_skip_public_holidays=True,
        repeat_skip_school_holidays=True,
        start=_at(SEASON[0], 14),
        end=_at(SEASON[1], 17),
        venue=coursive,
        access_and_price="Gratuit — inscription conseillée pour chaque date",
        audience="Habitants des Grésilles et de Dijon, débutants bienvenus, adultes comme adolescents.",
        objectives="<ul><li>Prendre en main son téléphone ou son ordinateur</li>"
        "<li>Faire ses démarches en ligne sans s'y perdre</li>"
        "<li>Apprendre les uns des autres, à son rythme</li></ul>",
        registration_mode="open",
        capacity=10,
        waitlist_enabled=True,
    )
    planned, day, start, end = MOVED_DATE
    moved = page.occurrences.filter(original_start=_at(planned, 14)).first()
    if moved is not None and not moved.is_moved:
        moved.start, moved.end = _at(day, start.hour, start.minute), _at(day, end.hour, end.minute)
        moved.note = "Exceptionnellement le jeudi matin, pendant la semaine du numérique des Grésilles."
        moved.save()
    return page
