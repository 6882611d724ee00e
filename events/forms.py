"""Forms of the agenda: the visitors' filter form and the editors' event form.

``events/models.py`` imports this module, so the forms receive the querysets
and models they need instead of importing them.
"""

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, Panel

WEEKDAY_CHOICES = [
    ("0", _("lundi")),
    ("1", _("mardi")),
    ("2", _("mercredi")),
    ("3", _("jeudi")),
    ("4", _("vendredi")),
    ("5", _("samedi")),
    ("6", _("dimanche")),
]
SERIES = "series"  # EventSchedule.SERIES (the models import this module)


class WeekdaysFormField(forms.MultipleChoiceField):
    """Days of the week ticked as boxes, handed to the model as "1,3" (0 = Monday)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(*args, choices=WEEKDAY_CHOICES, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [day for day in value.split(",") if day]
        return value

    def clean(self, value):
        return ",".join(sorted(super().clean(value)))

    def has_changed(self, initial, data):
        return sorted(self.prepare_value(initial) or []) != sorted(self.prepare_value(data) or [])


class CategoryFilterForm(forms.Form):
    """Filter by category (the month view); plain GET, works without JavaScript.

    The categories are handed over as a list (read once per generation by the
    agenda): the field offers their slugs and cleans to the category itself,
    so that showing and checking the filter reads nothing more.
    """

    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {category.slug: category for category in categories}
        self.fields["categorie"].choices = [("", _("Toutes les catégories"))] + [
            (category.slug, category.name) for category in categories
        ]

    def clean_categorie(self):
        return self.categories.get(self.cleaned_data.get("categorie"))

    def filter(self, events):
        """Apply the valid filters to an EventPage queryset."""
        category = self.cleaned_data.get("categorie")
        if category:
            events = events.filter(category=category)
        return events


class AgendaFilterForm(CategoryFilterForm):
    """Filter the agenda by category and month; plain GET, works without JavaScript."""

    mois = forms.ChoiceField(label=_("Mois"), required=False)

    def __init__(self, *args, categories, months=(), descending=False, **kwargs):
        super().__init__(*args, categories=categories, **kwargs)
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
        events = super().filter(events)
        month = self.cleaned_data.get("mois")
        if month:
            events = events.in_month(*month)
        return events


class EventPageForm(WagtailAdminPageForm):
    """The event editor: a new event starts at the default venue (La Coursive).

    Publishing a change that e-mails the registrants (cancelled, postponed,
    moved) needs the « confirm_notification » box: without it the form is
    refused with the number of people who would be told, nothing is
    published or sent, and the editor's edits stay in the form. Saving a
    draft never asks. The count comes from the page itself
    (``publication_notice``, written by the registrations app).
    """

    confirm_notification = forms.BooleanField(
        label=_("Oui, prévenir les personnes inscrites par e-mail"),
        required=False,
        help_text=_("Cochez pour publier : chaque personne inscrite reçoit alors un e-mail qui annonce le changement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = None
        is_new = self.instance._state.adding
        if is_new and "venue" in self.fields and not self.initial.get("venue"):
            default_venue = self.fields["venue"].queryset.model.get_default()
            if default_venue is not None:
                self.initial["venue"] = default_venue.pk
        for name in ("schedule", "repeat_frequency"):
            if name in self.fields:
                self.fields[name].required = False
        if "start" in self.fields:
            # A course's start comes from its sessions (``clean``), a series' from its rule (EventPage.apply_rule).
            self.fields["start"].required = False

    def clean_schedule(self):
        # Scripts and older forms that do not send it keep the page's own (« une date » for a new page).
        return self.cleaned_data.get("schedule") or self.instance.schedule

    def clean_repeat_frequency(self):
        return self.cleaned_data.get("repeat_frequency") or self.instance.repeat_frequency

    def clean(self):
        cleaned_data = super().clean()
        self._clean_course_sessions(cleaned_data)
        return cleaned_data

    def _clean_course_sessions(self, cleaned_data):
        """A course is dated by its « Séances »: the page gets them now, so that its own rule checks them.

        The page's ``clean`` (``course_session_errors``, ``_sync_course_dates``)
        then says what is wrong and takes the first start and last end; they are
        copied here too because the model's fields are checked before its
        ``clean``. Other events still need their own start.
        """
        formset = self.formsets.get("sessions") if hasattr(self, "formsets") else None
        if formset is not None and formset.is_valid():
            self.instance.sessions = [
                form.instance
                for form in formset.forms
                if (form.has_changed() or form.instance.pk) and not form.cleaned_data.get("DELETE")
            ]
        dated = [session for session in self.instance.sessions.all() if session.start]
        if cleaned_data.get("schedule") == self.instance.COURSE_SCHEDULE and dated:
            cleaned_data["start"] = min(session.start for session in dated)
            cleaned_data["end"] = max(session.end or session.start for session in dated)
            self.errors.pop("start", None)
        elif cleaned_data.get("schedule") != SERIES and not cleaned_data.get("start") and "start" not in self.errors:
            self.add_error("start", _("Indiquez la date et l'heure de début."))

    def _post_clean(self):
        # After the parent's: the instance now holds the values being published.
        super()._post_clean()
        if self.instance.is_series and not self.instance.describes_rule:
            for name, message in self.instance.apply_rule().items():
                self.add_error(name if name in self.fields else None, message)
        if not self.is_bound or not self.data.get("action-publish"):
            return
        self.notice = self.instance.publication_notice()
        if self.notice is None:
            return
        count, what = self.notice
        label = ngettext(
            "Oui, prévenir %(count)d personne par e-mail",
            "Oui, prévenir ces %(count)d personnes par e-mail",
            count,
        ) % {"count": count}
        # The bound field was made (and its label copied) while the fields were cleaned.
        self.fields["confirm_notification"].label = self["confirm_notification"].label = label
        if not self.cleaned_data.get("confirm_notification"):
            self.add_error(
                "confirm_notification",
                ngettext(
                    "%(count)d personne va être prévenue par e-mail (%(what)s). "
                    "Cochez la case pour confirmer, puis publiez à nouveau.",
                    "%(count)d personnes vont être prévenues par e-mail (%(what)s). "
                    "Cochez la case pour confirmer, puis publiez à nouveau.",
                    count,
                )
                % {"count": count, "what": what},
            )


class NotificationConfirmationPanel(FieldPanel):
    """The confirmation box, shown only when a publication would e-mail registrants (or it was ticked)."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            if self.form is None or self.bound_field is None:
                return False
            return bool(getattr(self.form, "notice", None) or self.bound_field.value())


class RuleDatesPanel(Panel):
    """The dates the series' rule gives, as saved in the draft: kept ones, left-out ones with their reason.

    Rendered on the server (no JavaScript): the editor saves a draft and reads
    the list before publishing. Dates kept only because people registered for
    them (the rule no longer gives them) are listed too.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/rule_dates_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.is_series

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            dates = page.rule_dates()
            kept = [date for date in dates if not date.excluded]
            context.update(
                {
                    "dates": dates,
                    "kept_count": len(kept),
                    "excluded_count": len(dates) - len(kept),
                    "has_rule": page.repeat_rule() is not None,
                    "off_rule": page.dates_kept_off_rule(dates) if page.pk else [],
                }
            )
            return context
