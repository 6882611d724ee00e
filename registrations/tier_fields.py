"""The price-tier fields of the registration forms: a tier per person, and the eligibility confirmation.

A mixin for the public form and the staff form alike (after
``CompanionFieldsMixin`` in the class list, before it in the MRO): the
registrant's « Tarif » radio buttons, one more per companion row, and a box
to tick when a chosen tier has conditions (« justificatif à présenter sur
place »), and a file field per person when a tier asks for an upload
(« justificatif à téléverser »: required on the public form, optional for
staff, ``proof_required``). ``price_tiers`` (a tier id per seat) and
``proof_files`` (a checked upload or None per seat) go to
``services.register``, which checks the quotas under the lock.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.models import ProofRule
from registrations.payments import euros
from registrations.proofs import ProofFileField, needs_upload, proof_help_text
from registrations.questions import EventRowsMixin

ELIGIBILITY_LABEL = _(
    "Je confirme que chaque personne inscrite à un tarif soumis à conditions les remplit, et que le "
    "justificatif demandé est joint ou sera présenté sur place."
)


def tier_label(tier):
    """« Tarif réduit — 60,00 € (étudiant·es… ; justificatif à présenter sur place) »."""
    label = f"{tier.label} — {euros(tier.amount)}"
    details = [
        text for text in (tier.eligibility, tier.get_proof_display() if tier.proof != ProofRule.NONE else "") if text
    ]
    return f"{label} ({' ; '.join(str(text) for text in details)})" if details else label


class TierFieldsMixin(EventRowsMixin):
    tier_field = "price_tier"
    proof_field = "proof_file"
    proof_required = True  # the public form; staff may add the proof later

    def add_tier_fields(self, event):
        """Add the tier fields when the event has tiers (no field at all for a free event)."""
        self.tiers = (
            self.event_rows(event, "tiers", lambda: event.price_tiers.order_by("sort_order", "pk")) if event.pk else []
        )
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
        self.asks_upload = any(needs_upload(tier) for tier in self.tiers)
        if self.asks_upload:
            self.fields[self.proof_field] = ProofFileField(
                label=_("Votre justificatif (si votre tarif en demande un)"), help_text=proof_help_text()
            )
            for number in getattr(self, "companion_numbers", []):
                self.fields[self._companion_proof(number)] = ProofFileField(
                    label=_("Justificatif de la personne %(n)d (si son tarif en demande un)") % {"n": number},
                    help_text=proof_help_text(),
                )
        if any(tier.asks_confirmation for tier in self.tiers):
            self.fields["tier_eligibility"] = forms.BooleanField(label=ELIGIBILITY_LABEL, required=False)

    def _companion_tier(self, number):
        return f"{self.companion_prefix}_{number}_{self.tier_field}"

    def _companion_proof(self, number):
        return f"{self.companion_prefix}_{number}_{self.proof_field}"

    def _row_extras(self, number):
        names = [self._companion_tier(number)]
        if getattr(self, "asks_upload", False):
            names.append(self._companion_proof(number))
        return names

    @property
    def companion_field_names(self):
        names = super().companion_field_names
        if not getattr(self, "tiers", None):
            return names
        return names | {name for n in getattr(self, "companion_numbers", []) for name in self._row_extras(n)}

    def companion_rows(self):
        rows = super().companion_rows()
        if not getattr(self, "tiers", None):
            return rows
        return [(number, [*fields, *(self[name] for name in self._row_extras(number))]) for number, fields in rows]

    def clean(self):
        cleaned = super().clean()
        self.price_tiers, self.proof_files = [], []
        if not getattr(self, "tiers", None):
            return cleaned
        seats = cleaned.get("seats") or 1
        own = cleaned.get(self.tier_field)
        chosen = [own]
        files = [(self.proof_field, cleaned.get(self.proof_field))]
        for number in range(2, seats + 1):
            field = self._companion_tier(number)
            value = cleaned.get(field) if field in self.fields else ""
            if not value and field in self.fields and self._companion_named(number):
                self.add_error(field, _("Choisissez le tarif de la personne %(n)d.") % {"n": number})
            chosen.append(value or own)  # a seat without a row, or unnamed (staff): the registrant's tier
            proof = self._companion_proof(number)
            files.append((proof, cleaned.get(proof) if proof in self.fields else None))
        by_pk = {str(tier.pk): tier for tier in self.tiers}
        for value, (field, upload) in zip(chosen, files, strict=True):
            tier = by_pk.get(value)
            if upload and not needs_upload(tier):
                upload = None  # sent for a tier that asks none (the person changed their mind): not kept
            if needs_upload(tier) and not upload and self.proof_required and field in self.fields:
                self.add_error(
                    field,
                    _("Le tarif « %(tier)s » demande un justificatif : joignez un fichier PDF, JPEG ou PNG.")
                    % {"tier": tier.label},
                )
            self.proof_files.append(upload)
        needs_confirmation = any(value in by_pk and by_pk[value].asks_confirmation for value in chosen)
        if needs_confirmation and not cleaned.get("tier_eligibility"):
            self.add_error("tier_eligibility", _("Cochez cette case pour confirmer les conditions du tarif choisi."))
        self.price_tiers = [int(value) for value in chosen if value]
        return cleaned

    def _companion_named(self, number):
        return any(
            self.cleaned_data.get(f"{self.companion_prefix}_{number}_{key}") for key in ("first_name", "last_name")
        )
