"""The "Toutes les inscriptions" listing (filters, columns, bulk-action checkboxes), choosing an event, editing."""

import django_filters
from django import forms
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail import log_actions
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.widgets import HeaderButton

from core.dates import format_event_dates, format_short_date, format_short_datetime
from events.models import EventPage, EventSchedule, Occurrence
from registrations import exports, payments
from registrations.admin.base import StaffPageMixin, event_url, registration_event_url, search_text
from registrations.admin.forms import RegistrationDetailsForm
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations
from registrations.admin.proofs import proof_rows
from registrations.models import EXPIRING_STATUSES, Attendee, Registration, RegistrationMode, RegistrationStatus

ATTENDANCE_PRESENT = "present"
ATTENDANCE_ABSENT = "absent"
ATTENDANCE_UNKNOWN = "unknown"
SEARCH_FIELDS = ["first_name", "last_name", "email", "organisation"]


def date_label(occurrence):
    """One date of a series as the listing names it: « Série — mardi 3 mars 2026, 18 h – 20 h »."""
    when = format_event_dates(occurrence.start, occurrence.end, occurrence.event.all_day)
    return f"{occurrence.event.title} — {when}"


# The events and dates of a series that the filters offer: those of the last three months and of the next
# three (what a manager follows: who comes soon, who came lately), plus the one the URL names, whenever it is.
CHOICES_SINCE = timezone.timedelta(days=92)
CHOICES_UNTIL = timezone.timedelta(days=92)


def chosen_id(value):
    return int(value) if str(value or "").isdigit() else None


def choice_window(queryset, chosen, now=None):
    """``queryset`` (events or dates, by ``start``) cut to the months a manager works on, plus ``chosen``.

    Why not every event: the filter is a ``<select>``, drawn on every view of the listing; with a
    thousand events it cost more than the page's 50 rows (1,054 options, ×1.8–2.7 the CPU of a small
    site, docs/performance.md) and nobody scrolls a thousand options. An event outside the window is
    reached from Agenda › Événements or its own registrations page, and a bookmarked ``?event=ID``
    keeps working: the event the URL names is always among the choices (else the filter would be
    refused as invalid).
    """
    now = now or timezone.now()
    window = Q(start__gte=now - CHOICES_SINCE, start__lte=now + CHOICES_UNTIL)
    if chosen is not None:
        window |= Q(pk=chosen)
    return queryset.filter(window)


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {format_short_date(obj.start)}"


class EventChoiceFilter(django_filters.ModelChoiceFilter):
    """One event, named with its date (the same title comes back every week)."""

    field_class = EventChoiceField


class OccurrenceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return date_label(obj)


class OccurrenceChoiceFilter(django_filters.ModelChoiceFilter):
    """One date of a series (the sign-in sheet, the export and the check-in work per date too)."""

    field_class = OccurrenceField


class RegistrationFilterSet(WagtailFilterSet):
    """Filters of the listing: event, date of a series, status, attendance, date of registration."""

    event = EventChoiceFilter(
        label=gettext_lazy("Événement"),
        help_text=gettext_lazy("Les événements des trois derniers mois et des trois prochains."),
        queryset=EventPage.objects.none(),  # the window of ``choice_window``, set for each request
        field_name="event",
    )
    occurrence = OccurrenceChoiceFilter(
        label=gettext_lazy("Date d'une série"),
        help_text=gettext_lazy("Les dates des trois derniers mois et des trois prochains."),
        queryset=Occurrence.objects.none(),
        field_name="occurrence",
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Statut"), choices=RegistrationStatus.choices)
    attendance = django_filters.ChoiceFilter(
        label=gettext_lazy("Présence"),
        choices=[
            (ATTENDANCE_PRESENT, gettext_lazy("Présent·e")),
            (ATTENDANCE_ABSENT, gettext_lazy("Absent·e (événement commencé)")),
            (ATTENDANCE_UNKNOWN, gettext_lazy("Non renseignée")),
        ],
        method="filter_attendance",
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Inscrit·e entre"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Registration
        fields = ["event", "occurrence", "status", "attendance", "created_at"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        data = data or {}
        events = EventPage.objects.only("pk", "title", "start").order_by("start", "pk")
        self.filters["event"].queryset = choice_window(events, chosen_id(data.get("event")))
        dates = Occurrence.objects.select_related("event").order_by("start", "pk")
        self.filters["occurrence"].queryset = choice_window(dates, chosen_id(data.get("occurrence")))

    def filter_attendance(self, queryset, name, value):
        """Absent: confirmed, the event has started, no check-in; the same words as the exports."""
        now = timezone.now()
        started = Q(occurrence__isnull=True, event__start__lte=now) | Q(occurrence__start__lte=now)  # the booked unit
        absent = Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=True) & started
        if value == ATTENDANCE_PRESENT:
            return queryset.filter(checked_in_at__isnull=False)
        if value == ATTENDANCE_ABSENT:
            return queryset.filter(absent)
        if value == ATTENDANCE_UNKNOWN:
            return queryset.filter(checked_in_at__isnull=True).exclude(absent)
        return queryset


def listed_registrations(data):
    """The registrations the listing shows for these GET parameters (filters and search), unordered.

    The bulk actions' "select all in listing" uses it, so that it never reaches
    registrations the listing does not show.
    """
    filters = RegistrationFilterSet(data, queryset=Registration.objects.all())
    if not filters.is_valid():
        return Registration.objects.none()
    queryset = filters.qs
    query = search_text(data.get("q", ""))
    if query:
        queryset = queryset.filter(search_condition(query))
    return queryset


def search_condition(query):
    """What the listing's search matches: the registrant's details, or the name of anyone on the booking."""
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    people = Attendee.objects.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
    return condition | Q(pk__in=people.values("registration_id"))


class AttendanceColumn(Column):
    def get_value(self, instance):
        return exports.attendance_label(instance, now=self.now)

    @cached_property
    def now(self):
        return timezone.now()


class StatusColumn(Column):
    """The status, with the deadline of an offer or an address to confirm (« … — avant le 03/12/2026 14:00 »)."""

    def get_value(self, instance):
        label = instance.get_status_display()
        if instance.status in EXPIRING_STATUSES and instance.expires_at:
            return _("%(status)s — avant le %(when)s") % {
                "status": label,
                "when": format_short_datetime(instance.expires_at),
            }
        return label


class BookedDateColumn(Column):
    """The booked date of a registration for a series (empty for an event with one date or a course)."""

    def get_value(self, instance):
        if not instance.occurrence_id:
            return ""
        occurrence = instance.occurrence
        return format_event_dates(occurrence.start, occurrence.end, instance.event.all_day)


class AnswersSummaryColumn(Column):
    """All answers in one cell, "Question : réponse" (uses the prefetched questions of each event)."""

    def get_value(self, instance):
        answers = instance.answers or {}
        parts = []
        for question in instance.event.registration_questions.all():
            value = answers.get(question.answer_key)
            if value not in (None, "", []):
                parts.append(f"{question.label} : {exports.format_answer(value)}")
        return " · ".join(parts)


class AnswerColumn(Column):
    def __init__(self, question):
        self.question = question
        super().__init__(question.answer_key, label=question.label)

    def get_value(self, instance):
        return exports.format_answer((instance.answers or {}).get(self.question.answer_key))


class MoneyColumn(Column):
    """One figure of ``payments.Money`` (« Dû », « Payé », « Solde »), read from the page's accounts.

    Blank for a registration with nothing owed and nothing paid (free events).
    The accounts are read once per page (``RegistrationIndexView.get_context_data``).
    """

    def __init__(self, name, figure, **kwargs):
        self.figure = figure
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        account = getattr(instance, "account", None)
        if account is None or (not account.total and not account.paid):
            return ""
        return payments.euros(getattr(account, self.figure))


class RegistrationIndexView(IndexView):
    """The listing: one column per question when filtered on one event, a summary otherwise.

    A checkbox per row feeds Wagtail's bulk-action footer (approve, reject, cancel, check-in).
    """

    @cached_property
    def search_query(self):
        """Wagtail's search term, cut and cleaned as ``listed_registrations`` does (same rows either way)."""
        form = self.search_form
        return search_text(form.cleaned_data[self.search_kwarg]) if form is not None and form.is_valid() else ""

    def search_queryset(self, queryset):
        """The same rows as ``listed_registrations`` (bulk actions' "select all"): companions' names included."""
        return queryset.filter(search_condition(self.search_query)) if self.search_query else queryset

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("event", "occurrence")
            .prefetch_related("event__registration_questions")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        accounts = payments.money_by_registration(rows)  # three queries for the page, not per row
        for registration in rows:
            registration.account = accounts[registration.pk]
        return context

    @cached_property
    def filtered_event(self):
        event_id = self.request.GET.get("event")
        if event_id and event_id.isdigit():
            return EventPage.objects.filter(pk=event_id).first()
        return None

    @cached_property
    def header_buttons(self):
        """With an event filter: its page, its exports (the formula-safe path, not Wagtail's export)."""
        buttons = list(super().header_buttons)
        event = self.filtered_event
        if event is not None:
            buttons += [
                HeaderButton(_("Page des inscriptions"), event_url(event), icon_name="group"),
                HeaderButton(
                    _("Export CSV"), reverse("inscriptions:export", args=[event.pk, "csv"]), icon_name="download"
                ),
                HeaderButton(
                    _("Export Excel"), reverse("inscriptions:export", args=[event.pk, "xlsx"]), icon_name="download"
                ),
            ]
        return buttons

    @cached_property
    def add_item_label(self):
        return _("Ajouter une inscription")

    @cached_property
    def columns(self):
        columns = [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="registration"),
            TitleColumn(
                "full_name",
                label=_("Nom"),
                sort_key="last_name",
                width="18%",
                get_url=lambda registration: reverse("inscriptions:edit", args=[registration.pk]),
                get_title_id=lambda registration: f"registration_{registration.pk}_title",
            ),
            Column("email", label=_("E-mail"), sort_key="email"),
            Column("organisation", label=_("Structure"), sort_key="organisation"),
            Column("seats", label=_("Places"), sort_key="seats"),
            StatusColumn("get_status_display", label=_("Statut"), sort_key="status"),
            AttendanceColumn("attendance", label=_("Présence"), sort_key="checked_in_at"),
            DateColumn("created_at", label=_("Inscrit·e le"), sort_key="created_at"),
            MoneyColumn("due", "due", label=_("Dû")),
            MoneyColumn("paid", "net_paid", label=_("Payé")),
            MoneyColumn("balance", "balance", label=_("Solde")),
        ]
        if self.filtered_event is None or self.filtered_event.schedule == EventSchedule.SERIES:
            columns.insert(3, BookedDateColumn("booked_date", label=_("Date"), sort_key="occurrence__start"))
        if self.filtered_event is not None:
            questions = self.filtered_event.registration_questions.order_by("sort_order", "pk")
            columns += [AnswerColumn(question) for question in questions]
        else:
            event_column = TitleColumn(
                "event",
                label=_("Événement"),
                sort_key="event__start",
                get_url=registration_event_url,
            )
            columns.insert(2, event_column)
            columns.append(AnswersSummaryColumn("answers", label=_("Réponses")))
        return columns


class ChooseEventView(ManagerRequiredMixin, StaffPageMixin, TemplateView):
    """ "Add" from the listing: first choose the event (its questions shape the form)."""

    template_name = "registrations/admin/choose_event.html"
    page_title = gettext_lazy("Ajouter une inscription")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.now() - timezone.timedelta(days=7)
        context["events"] = (
            EventPage.objects.filter(start__gte=since)
            .exclude(registration_mode__in=[RegistrationMode.NONE, RegistrationMode.EXTERNAL])
            .order_by("start")[:100]
        )
        return context


class RegistrationEditView(ManagerRequiredMixin, StaffPageMixin, FormView):
    """Edit names, contact and answers; status changes only through the actions of the event view."""

    template_name = "registrations/admin/edit.html"
    form_class = RegistrationDetailsForm
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if can_manage_registrations(request.user):  # the others are refused by ManagerRequiredMixin
            self.registration = get_object_or_404(Registration.objects.select_related("event"), pk=kwargs["pk"])
            self.event = self.registration.event
            if self.registration.anonymized_at:
                messages.error(request, _("Cette inscription a été anonymisée : il n'y a plus rien à modifier."))
                return redirect(event_url(self.event))
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Modifier l'inscription de %(name)s") % {"name": self.registration.full_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.registration}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            registration=self.registration,
            event=self.registration.event,
            history_url=reverse("inscriptions:history", args=[self.registration.pk]),
            people=list(self.registration.attendees.filter(cancelled_at__isnull=True)),
            proof_rows=proof_rows(self.registration),
        )
        return context

    def form_valid(self, form):
        changed = form.changed_field_names
        with transaction.atomic():
            form.save()
            if changed:
                log_actions.log(
                    instance=self.registration,
                    action="registrations.edit",
                    user=self.request.user,
                    data={"fields": changed},
                )
        messages.success(self.request, _("Inscription de %(name)s enregistrée.") % {"name": form.instance.full_name})
        return redirect(event_url(self.event))
