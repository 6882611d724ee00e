"""Minimal factories for the staff-tooling tests: an agenda, events and registrations."""

import datetime
import itertools

import factory
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from registrations.models import Registration, RegistrationMode, RegistrationQuestion, RegistrationStatus

_slugs = itertools.count(1)


def make_agenda(home_page):
    """The agenda page under the home page (created once)."""
    agenda = EventIndexPage.objects.first()
    if agenda is None:
        agenda = home_page.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    return agenda


def make_event(home_page, *, title="Atelier numérique", slug=None, start=None, capacity=30, **kwargs):
    """A published event page with open registration, in ten days unless ``start`` says otherwise."""
    agenda = make_agenda(home_page)
    start = start or timezone.now() + datetime.timedelta(days=10)
    event = EventPage(
        title=title,
        slug=slug or f"evenement-{next(_slugs)}",
        start=start,
        capacity=capacity,
        registration_mode=kwargs.pop("registration_mode", RegistrationMode.OPEN),
        **kwargs,
    )
    agenda.add_child(instance=event)
    return event


def add_question(event, label, *, field_type="short_text", sort_order=0):
    return RegistrationQuestion.objects.create(page=event, label=label, field_type=field_type, sort_order=sort_order)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    organisation = "Centre social des Grésilles"
    phone = "03 80 00 00 00"
    seats = 1
    status = RegistrationStatus.CONFIRMED
