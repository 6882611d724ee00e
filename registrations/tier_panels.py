"""The « Tarifs » inline of an event's "Inscriptions" tab, with the check that needs every tier at once."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel


class PriceTierFormSet(BaseChildFormSet):
    """The tiers' seat quotas fit inside the event's capacity (read from the event form just cleaned)."""

    def clean(self):
        super().clean()
        for form in self.forms:
            tier = form.instance
            if form.cleaned_data.get("DELETE") and tier.pk and tier.attendees.exists():
                raise ValidationError(
                    _("Le tarif « %(label)s » a déjà été choisi par des participant·es : il ne peut pas être supprimé.")
                    % {"label": tier.label}
                )
        capacity = getattr(self.instance, "capacity", None)
        quotas = [
            form.cleaned_data["quota"]
            for form in self.forms
            if not form.cleaned_data.get("DELETE") and form.cleaned_data.get("quota") is not None
        ]
        if capacity is not None and sum(quotas) > capacity:
            raise ValidationError(
                _(
                    "Les places réservées aux tarifs (%(quotas)d au total) dépassent le nombre de places "
                    "de l'événement (%(capacity)d) : réduisez un quota ou augmentez le nombre de places."
                )
                % {"quotas": sum(quotas), "capacity": capacity}
            )


class PriceTierPanel(InlinePanel):
    """``InlinePanel`` of the price tiers, validated by ``PriceTierFormSet``."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = PriceTierFormSet
        return options
