"""Builders for the paid-workshop tests: an event with a full tier and a reduced one."""

from decimal import Decimal

from registrations.models import PriceTier, ProofRule
from tests.registrations.factories import make_event


def make_paid_event(home_page, *, capacity=10, reduced_quota=None, **fields):
    """An event with « Plein tarif » 120 € and « Tarif réduit » 60 € (eligibility to confirm, proof on site)."""
    event = make_event(home_page, capacity=capacity, **fields)
    full = PriceTier.objects.create(page=event, sort_order=0, label="Plein tarif", amount=Decimal("120.00"))
    reduced = PriceTier.objects.create(
        page=event,
        sort_order=1,
        label="Tarif réduit",
        amount=Decimal("60.00"),
        eligibility="Étudiant·es, demandeur·ses d'emploi",
        quota=reduced_quota,
        proof=ProofRule.ON_SITE,
    )
    return event, full, reduced
