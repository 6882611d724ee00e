"""Builders for the registrations app (public form, services and staff tooling).

Events come from the suite's one event builder, ``tests.events.factories.EventPageFactory``;
``make_event`` adds what registration tests take for granted.
"""

import factory

from events.models import EventPage
from registrations.models import (
    Attendee,
    Registration,
    RegistrationMode,
    RegistrationQuestion,
    RegistrationStatus,
    companion_placeholder,
)
from tests.events.factories import EventPageFactory, make_agenda

# What the registration tests rely on unless a test says otherwise: open registration,
# 10 seats and a waiting list (the seat figures count from there), a contact address,
# and nothing else (no venue, category, end or summary), so that e-mails, calendar files
# and query counts hold only what a test adds. Start: ten days ahead, as the factory has it.
# Offers from the waiting list are on for every real event (the model's default) but off
# here: a freed seat is confirmed at once, so the other rules are proven without the offer
# step; tests/registrations/test_offers.py turns them on.
REGISTRATION_EVENT = {
    "registration_mode": RegistrationMode.OPEN,
    "capacity": 10,
    "waitlist_enabled": True,
    "waitlist_offers": False,
    "contact_email": "ateliers@example.org",
    "venue": None,
    "category": None,
    "end": None,
    "summary": "",
}


class RegistrationQuestionFactory(factory.django.DjangoModelFactory):
    """A free-text question of an event's form (pass ``page``)."""

    class Meta:
        model = RegistrationQuestion

    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "short_text"
    sort_order = 0


class RegistrationFactory(factory.django.DjangoModelFactory):
    """One confirmed seat for a French-named person (pass ``event``).

    The names come from Faker, seeded per test from TEST_SEED (see tests/conftest.py).
    """

    class Meta:
        model = Registration
        skip_postgeneration_save = True  # the attendees hook writes what it changes

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    organisation = "Centre social des Grésilles"
    phone = "03 80 00 00 00"
    seats = 1
    status = RegistrationStatus.CONFIRMED

    @factory.post_generation
    def attendees(registration, create, names, **kwargs):
        """One attendee per seat, as the services store them (``attendees=[(first, last), …]`` names companions).

        A registration built checked in (``checked_in_at``) has every person present, as the old data had it.
        """
        if not create:
            return
        names = list(names or [])
        people = []
        for position in range(1, registration.seats + 1):
            if position == 1:
                first, last, email = registration.first_name, registration.last_name, registration.email
            elif position - 2 < len(names):
                (first, last), email = names[position - 2], ""
            else:
                (first, last), email = (
                    companion_placeholder(position, registration.first_name, registration.last_name),
                    "",
                )
            people.append(
                Attendee(
                    registration=registration,
                    position=position,
                    first_name=first,
                    last_name=last,
                    email=email,
                    checked_in_at=registration.checked_in_at,
                )
            )
        Attendee.objects.bulk_create(people)
        if registration.checked_in_at:
            Registration.objects.filter(pk=registration.pk).update(seats_present=registration.seats)
            registration.seats_present = registration.seats


def make_event(home_page, *, questions=(), **fields):
    """An event of the home page's agenda, published with a revision as the editor leaves it.

    ``fields`` override ``REGISTRATION_EVENT`` and the factory; ``questions`` are the
    keyword arguments of its form's questions, in order. Returned fresh from the database.
    """
    event = EventPageFactory(parent=make_agenda(home_page), **{**REGISTRATION_EVENT, **fields})
    for order, question in enumerate(questions):
        RegistrationQuestionFactory(page=event, sort_order=order, **question)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def add_question(event, label, *, field_type="short_text", sort_order=0):
    """A question added to an existing event's form (stored, not in its published revision)."""
    return RegistrationQuestionFactory(page=event, label=label, field_type=field_type, sort_order=sort_order)


def make_registration(event, **fields):
    """A registration stored as is (confirmed, one seat), without the services' rules."""
    return RegistrationFactory(event=event, **fields)


def person(n=1, **extra):
    """Keyword arguments for ``services.register`` describing a fictitious person."""
    values = {"first_name": "Camille", "last_name": f"Martin{n}", "email": f"camille{n}@example.org"}
    values.update(extra)
    return values
