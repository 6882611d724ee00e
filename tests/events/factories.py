"""Factories for the agenda: venues, categories, the agenda page and events."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
import wagtail_factories
from django.utils import timezone

from events.models import EventCategory, EventIndexPage, EventPage, EventPartner, Venue
from home.models import Partner

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


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Agenda"
    slug = "agenda"


class EventPageFactory(wagtail_factories.PageFactory):
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
    partner = factory.SubFactory(PartnerFactory)
    role = "partner"
