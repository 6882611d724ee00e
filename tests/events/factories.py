"""Factories for the agenda: venues, categories, the agenda page and events.

``EventPageFactory`` is the suite's one event builder; the registration tests reach
it through ``tests.registrations.factories.make_event``, which adds their defaults.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
import wagtail_factories
from django.utils import timezone

from events.models import CourseSession, EventCategory, EventIndexPage, EventPage, EventPartner, EventSchedule, Venue
from tests.home.factories import PartnerFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def days_from_now(days, hour=9, minute=30):
    """A Paris wall time ``days`` days from today (negative for the past)."""
    day = timezone.localtime(timezone.now(), PARIS).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Salle {n}")
    address = "33 place Galilée"
    postcode = "21000"
    city = "Dijon"


class EventCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Agenda"
    slug = "agenda"


def make_agenda(home_page):
    """The agenda under ``home_page``: the one already there (the demo content has one), else a new one."""
    return EventIndexPage.objects.child_of(home_page).first() or EventIndexPageFactory(parent=home_page)


class EventPageFactory(wagtail_factories.PageFactory):
    """A live, scheduled event in ten days (9:30–17:00, Paris), with a venue and a category.

    Registration stays off (the model's default) and no revision is saved: tests that
    need either say so (see ``tests.registrations.factories.make_event``).
    """

    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Atelier numéro {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    summary = "Une journée pour coopérer entre tiers-lieux et musées."
    start = factory.LazyFunction(lambda: days_from_now(10))
    end = factory.LazyAttribute(lambda o: o.start.replace(hour=17, minute=0))
    venue = factory.SubFactory(VenueFactory)
    category = factory.SubFactory(EventCategoryFactory)


class EventPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventPartner

    page = None
    # No logo: the event page then prints the partner's name, which the tests read.
    partner = factory.SubFactory(PartnerFactory, logo=None)
    role = "partner"


def course_session(days, hour=9, end_hour=17, **fields):
    """An unsaved session of a course, ``days`` days from today (Paris wall times)."""
    start = days_from_now(days, hour, 0)
    return CourseSession(start=start, end=start.replace(hour=end_hour), **fields)


def course_fields(days=10, count=3, **session_fields):
    """Event fields of a course of ``count`` sessions on consecutive days, the first ``days`` days from today."""
    return {
        "schedule": EventSchedule.COURSE,
        "sessions": [course_session(days + number, **session_fields) for number in range(count)],
    }
