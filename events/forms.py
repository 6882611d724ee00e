"""Forms of the agenda: the visitors' filter form and the editors' event form.

``events/models.py`` imports this module, so the forms receive the querysets
and models they need instead of importing them.
"""

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class AgendaFilterForm(forms.Form):
    """Filter the agenda by category and month; plain GET, works without JavaScript."""

    categorie = forms.ModelChoiceField(
        label=_("Catégorie"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les catégories"),
    )
    mois = forms.ChoiceField(label=_("Mois"), required=False)

    def __init__(self, *args, categories, months=(), descending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorie"].queryset = categories
        self.fields["mois"].choices = [("", _("Tous les mois"))] + [
            (f"{month:%Y-%m}", dateformat.format(month, "F Y").capitalize())
            for month in sorted(months, reverse=descending)
        ]

    def clean_mois(self):
        value = self.cleaned_data.get("mois")
        if not value:
            return None
        year, month = value.split("-")
        return int(year), int(month)

    def filter(self, events):
        """Apply the valid filters to an EventPage queryset."""
        category = self.cleaned_data.get("categorie")
        if category:
            events = events.filter(category=category)
        month = self.cleaned_data.get("mois")
        if month:
            events = events.in_month(*month)
        return events


class EventPageForm(WagtailAdminPageForm):
    """The event editor: a new event starts at the default venue (La Coursive)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        is_new = self.instance._state.adding
        if is_new and "venue" in self.fields and not self.initial.get("venue"):
            default_venue = self.fields["venue"].queryset.model.get_default()
            if default_venue is not None:
                self.initial["venue"] = default_venue.pk
