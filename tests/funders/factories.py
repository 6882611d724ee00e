"""Funded actions and the people of their events, for the funders' tests."""

from decimal import Decimal

import factory
from django.utils import timezone

from funders.models import FundedAction, FundedActionEvent, FundedActionTarget, Indicator
from registrations.models import AudienceQuestion, Registration
from tests.events.factories import days_from_now
from tests.registrations.factories import make_event, make_registration


class FundedActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundedAction

    title = factory.Sequence(lambda n: f"Action financée {n}")
    scheme = "Contrat de ville"
    first_year = factory.LazyFunction(lambda: timezone.localdate().year - 1)
    last_year = factory.LazyFunction(lambda: timezone.localdate().year)


def neighbourhood():
    return AudienceQuestion.objects.get(key="quartier")


def attach(action, *events):
    for order, event in enumerate(events):
        FundedActionEvent.objects.create(action=action, event=event, sort_order=order)


def add_target(action, indicator, target, **fields):
    return FundedActionTarget.objects.create(action=action, indicator=indicator, target=Decimal(target), **fields)


def past_event(home_page, days=-30, **fields):
    event = make_event(home_page, capacity=50, start=days_from_now(days), **fields)
    event.audience_questions.set(AudienceQuestion.objects.all())
    event.save()  # a parental relation is written with the page
    return event


def came(event, *, audience=None, email=None, **fields):
    """A confirmed registration whose person was checked in, with audience answers."""
    if email:
        fields["email"] = email
    fields.setdefault("checked_in_at", timezone.now())
    return make_registration(event, audience=audience or {}, **fields)


__all__ = ["Indicator", "Registration"]
