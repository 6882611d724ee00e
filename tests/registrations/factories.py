"""Builders for registration tests: an agenda, open events and registrations."""

import datetime
import itertools

from django.utils import timezone

from events.models import EventIndexPage, EventPage
from registrations.models import Registration, RegistrationQuestion, RegistrationStatus

_counter = itertools.count(1)


def make_agenda(home_page):
    agenda = EventIndexPage.objects.child_of(home_page).first()
    if agenda is None:
        agenda = home_page.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    return agenda


def make_event(home_page, **fields):
    """A live event starting in ten days, open registration, 10 seats, unless told otherwise."""
    n = next(_counter)
    values = {
        "title": f"Atelier numéro {n}",
        "slug": f"atelier-{n}",
        "start": timezone.now() + datetime.timedelta(days=10),
        "registration_mode": "open",
        "capacity": 10,
        "waitlist_enabled": True,
        "contact_email": "ateliers@example.org",
    }
    values.update(fields)
    questions = values.pop("questions", [])
    event = EventPage(**values)
    make_agenda(home_page).add_child(instance=event)
    for order, question in enumerate(questions):
        RegistrationQuestion.objects.create(page=event, sort_order=order, **question)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def make_registration(event, **fields):
    n = next(_counter)
    values = {
        "first_name": "Camille",
        "last_name": f"Testeur{n}",
        "email": f"personne{n}@example.org",
        "status": RegistrationStatus.CONFIRMED,
        "seats": 1,
    }
    values.update(fields)
    return Registration.objects.create(event=event, **values)


def person(n=1, **extra):
    """Keyword arguments for ``services.register`` describing a fictitious person."""
    values = {"first_name": "Camille", "last_name": f"Martin{n}", "email": f"camille{n}@example.org"}
    values.update(extra)
    return values
