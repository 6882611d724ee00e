"""The dates of a series in the admin: each date's seats, and the changes that concern only its people.

A series (``EventSchedule.SERIES``) is worked on date by date: the "Dates"
page lists them with their figures and leads to each date's registrations
(the event page with ``?date=``). Cancelling or changing one date goes
through ``services.cancel_occurrence`` / ``change_occurrence``; whenever
people would be written to, a confirmation page says how many first.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages

from events.models import EventSchedule, Occurrence
from registrations import services
from registrations.admin.base import EventMixin, StaffPageMixin, event_url
from registrations.admin.forms import OccurrenceCancelForm, OccurrenceChangeForm
from registrations.booking import BookableUnit
from registrations.figures import occurrence_figures

CONFIRMATION = "oui"


class SeriesMixin(EventMixin):
    """The series of the URL (a 404 for an event without dates) and, with ``occurrence_id``, one of its dates."""

    date = None

    def load_date(self, occurrence_id):
        if self.event.schedule != EventSchedule.SERIES:
            raise Http404
        if occurrence_id is not None:
            self.date = get_object_or_404(
                Occurrence.objects.select_related("venue"), pk=occurrence_id, event=self.event
            )
            self.date.event = self.event

    def dates_url(self):
        return reverse("inscriptions:dates", args=[self.event.pk])


class DatesView(SeriesMixin, StaffPageMixin, TemplateView):
    """Every date of a series with its seats taken / capacity, waiting list and actions."""

    template_name = "registrations/admin/dates.html"
    header_icon = "date"

    def get(self, request, *args, **kwargs):
        self.load_date(None)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Dates : %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [
            {
                "occurrence": occurrence,
                "unit": BookableUnit(self.event, occurrence),
                "figures": figures,
                "registrations_url": event_url(self.event, occurrence=occurrence),
            }
            for occurrence, figures in occurrence_figures(self.event)
        ]
        context.update(
            event=self.event, rows=rows, page_edit_url=reverse("wagtailadmin_pages:edit", args=[self.event.pk])
        )
        return context


class CancelOccurrenceView(SeriesMixin, StaffPageMixin, TemplateView):
    """« Annuler cette date »: how many people will be written to, a message, then ``cancel_occurrence``."""

    template_name = "registrations/admin/occurrence_cancel.html"
    header_icon = "cross"

    def get_page_title(self):
        return _("Annuler la date du %(when)s") % {"when": BookableUnit(self.event, self.date).dates_display}

    def get(self, request, event_id, occurrence_id):
        self.load_date(occurrence_id)
        return self.render_to_response(self.get_context_data(form=OccurrenceCancelForm()))

    def post(self, request, event_id, occurrence_id):
        self.load_date(occurrence_id)
        form = OccurrenceCancelForm(request.POST)
        if not form.is_valid() or request.POST.get("confirmer") != CONFIRMATION:
            return self.render_to_response(self.get_context_data(form=form))
        try:
            ended = services.cancel_occurrence(self.date, by=request.user, message=form.cleaned_data["message"])
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(self.dates_url())
        messages.success(
            request,
            ngettext(
                "Date annulée ; %(count)d inscription a pris fin et la personne est prévenue.",
                "Date annulée ; %(count)d inscriptions ont pris fin et les personnes sont prévenues.",
                ended,
            )
            % {"count": ended},
        )
        return redirect(self.dates_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.event,
            occurrence=self.date,
            unit=BookableUnit(self.event, self.date),
            recipients=services.people_to_tell(self.date).count(),
            active=self.date.registrations.filter(status__in=services.ACTIVE_STATUSES).count(),
            confirmation=CONFIRMATION,
            back_url=self.dates_url(),
        )
        return context


class ChangeOccurrenceView(SeriesMixin, StaffPageMixin, TemplateView):
    """« Modifier » one date: its times, venue, seats and note; a change that writes to people is confirmed first."""

    template_name = "registrations/admin/occurrence_change.html"
    header_icon = "edit"

    def get_page_title(self):
        return _("Modifier la date du %(when)s") % {"when": BookableUnit(self.event, self.date).dates_display}

    def get(self, request, event_id, occurrence_id):
        self.load_date(occurrence_id)
        return self.render_to_response(self.get_context_data(form=OccurrenceChangeForm(instance=self.date)))

    def post(self, request, event_id, occurrence_id):
        self.load_date(occurrence_id)
        stored = Occurrence.objects.get(pk=self.date.pk)  # the form writes its values onto its instance
        stored.event = self.event
        form = OccurrenceChangeForm(request.POST, instance=self.date)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, date=stored))
        changes = form.changes()
        writes = bool(set(changes) & set(services.OCCURRENCE_NOTIFIED_FIELDS))
        recipients = services.people_to_tell(stored).count() if writes else 0
        if recipients and request.POST.get("confirmer") != CONFIRMATION:
            context = self.get_context_data(form=form, date=stored, confirm=True, recipients=recipients)
            return self.render_to_response(context)
        try:
            outcome = services.change_occurrence(stored, by=request.user, **changes)
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form, date=stored))
        if not outcome.changed:
            messages.warning(request, _("Rien n'a changé sur cette date."))
        else:
            messages.success(request, self.success_message(outcome))
        return redirect(self.dates_url())

    @staticmethod
    def success_message(outcome):
        parts = [_("Date modifiée.")]
        if outcome.notified:
            parts.append(
                ngettext(
                    "%(count)d personne prévenue par e-mail.",
                    "%(count)d personnes prévenues par e-mail.",
                    outcome.notified,
                )
                % {"count": outcome.notified}
            )
        if outcome.promoted:
            parts.append(
                _("Places attribuées depuis la liste d'attente : %(names)s.")
                % {"names": ", ".join(r.full_name for r in outcome.promoted)}
            )
        return " ".join(parts)

    def get_context_data(self, **kwargs):
        date = kwargs.pop("date", None) or self.date
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.event,
            occurrence=date,
            unit=BookableUnit(self.event, date),
            confirmation=CONFIRMATION,
            back_url=self.dates_url(),
        )
        return context
