"""The price-tier fields of the registration forms: a tier per person, and the eligibility confirmation.

A mixin for the public form and the staff form alike (after
``CompanionFieldsMixin`` in the class list, before it in the MRO): the
registrant's « Tarif » radio buttons, one more per companion row, and a box
to tick when a chosen tier has conditions (« justificatif à présenter sur
place »). ``price_tiers`` (a tier id per seat) goes to ``services.register``,
which checks the quotas under the lock.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.models import ProofRule
from registrations.payments import euros

ELIGIBILITY_LABEL = _(
    "Je confirme que chaque personne inscrite à un tarif soumis à conditions les remplit, et que le "
    "justificatif sera présenté sur place quand il est demandé."
)


def tier_label(tier):
    """« Tarif réduit — 60,00 € (étudiant·es… ; justificatif à présenter sur place) »."""
    label = f"{tier.label} — {euros(tier.amount)}"
    details = [
        text for text in (tier.eligibility, tier.get_proof_display() if tier.proof != ProofRule.NONE else "") if text
    ]
    return f"{label} ({' ; '.join(str(text) for text in details)})" if details else label


class TierFieldsMixin:
    tier_field = "price_tier"

    def add_tier_fields(self, event):
        """Add the tier fields when the event has tiers (no field at all for a free event)."""
        self.tiers = list(event.price_tiers.order_by("sort_order", "pk")) if event.pk else []
        if not self.tiers:
            return
        choices = [(str(tier.pk), tier_label(tier)) for tier in self.tiers]
        self.fields[self.tier_field] = forms.ChoiceField(
            label=_("Votre tarif"),
            choices=choices,
            widget=forms.RadioSelect,
            initial=choices[0][0] if len(choices) == 1 else None,
            error_messages={"required": _("Choisissez votre tarif.")},
        )
        for number in getattr(self, "companion_numbers", []):
            self.fields[self._companion_tier(number)] = forms.ChoiceField(
                label=_("Tarif de la personne %(n)d") % {"n": number},
                choices=[("", _("— choisir —")), *choices],
                required=False,
            )
        if any(tier.asks_confirmation for tier in self.tiers):
            self.fields["tier_eligibility"] = forms.BooleanField(label=ELIGIBILITY_LABEL, required=False)

    def _companion_tier(self, number):
        return f"{self.companion_prefix}_{number}_{self.tier_field}"

    @property
    def companion_field_names(self):
        names = super().companion_field_names
        return (
            names | {self._companion_tier(n) for n in getattr(self, "companion_numbers", [])} if self.tiers else names
        )

    def companion_rows(self):
        rows = super().companion_rows()
        if not getattr(self, "tiers", None):
            return rows
        return [(number, [*fields, self[self._companion_tier(number)]]) for number, fields in rows]

    def clean(self):
        cleaned = super().clean()
        self.price_tiers = []
        if not getattr(self, "tiers", None):
            return cleaned
        seats = cleaned.get("seats") or 1
        own = cleaned.get(self.tier_field)
        chosen = [own]
        for number in range(2, seats + 1):
            field = self._companion_tier(number)
            value = cleaned.get(field) if field in self.fields else ""
            if not value and field in self.fields and self._companion_named(number):
                self.add_error(field, _("Choisissez le tarif de la personne %(n)d.") % {"n": number})
            chosen.append(value or own)  # a seat without a row, or unnamed (staff): the registrant's tier
        by_pk = {str(tier.pk): tier for tier in self.tiers}
        needs_confirmation = any(value in by_pk and by_pk[value].asks_confirmation for value in chosen)
        if needs_confirmation and not cleaned.get("tier_eligibility"):
            self.add_error("tier_eligibility", _("Cochez cette case pour confirmer les conditions du tarif choisi."))
        self.price_tiers = [int(value) for value in chosen if value]
        return cleaned

    def _companion_named(self, number):
        return any(
            self.cleaned_data.get(f"{self.companion_prefix}_{number}_{key}") for key in ("first_name", "last_name")
        )
