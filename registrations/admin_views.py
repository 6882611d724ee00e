"""Staff tooling in the Wagtail admin: listing, per-event view, check-in, actions, exports, sheets, reports.

Views stay thin: every change of status goes through ``registrations.services``
(which writes the audit log when given ``by=request.user``); the views turn
``RegistrationError`` into French messages. Personal data is shown only to
members of the "Gestion des inscriptions" group (permission
``registrations.manage_registrations``) and to superusers.
"""

import tempfile

import django_filters
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail import log_actions
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from events.models import EventPage
from registrations import exports, reports, services, signin_sheet
from registrations.admin.forms import (
    EmailAttendeesForm,
    RegistrationDetailsForm,
    ReportPeriodForm,
    StaffRegistrationForm,
)
from registrations.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus

MANAGE_PERMISSION = "registrations.manage_registrations"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_manage_registrations(user):
    """Members of the registrations group and superusers see personal data and act on registrations."""
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(MANAGE_PERMISSION)))


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """Every action needs ``manage_registrations``; nobody deletes (cancel, or anonymise, instead)."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return can_manage_registrations(user)

    def users_with_any_permission(self, actions):
        if set(actions) <= {"delete"}:
            return self.auth_model.objects.none()
        permission = Permission.objects.get(content_type__app_label="registrations", codename="manage_registrations")
        return self.auth_model.objects.filter(
            Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission),
            is_active=True,
        ).distinct()


class ManagerRequiredMixin:
    """403 for anyone without the registrations permission (the admin already requires a login)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EventMixin(ManagerRequiredMixin):
    """Loads ``self.event`` from the ``event_id`` URL argument, after the permission check."""

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        self.event = get_object_or_404(EventPage.objects.select_related("venue"), pk=kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def event_url(self, name="event"):
        return reverse(f"inscriptions:{name}", args=[self.event.pk])


class StaffPageMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin page chrome with breadcrumbs: Inscriptions › event › this page (its title as h1)."""

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("inscriptions:index"), "label": _("Inscriptions")}]
        event = getattr(self, "event", None)
        if event is not None:
            items.append({"url": reverse("inscriptions:event", args=[event.pk]), "label": event.title})
        return self.breadcrumbs_items + items + [{"url": "", "label": self.get_page_title()}]


def safe_next_url(request, default):
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return default


# ---------------------------------------------------------------------------
# Listing (ModelViewSet)

ATTENDANCE_PRESENT = "present"
ATTENDANCE_ABSENT = "absent"
ATTENDANCE_UNKNOWN = "unknown"


class RegistrationFilterSet(WagtailFilterSet):
    """Filters of the listing: event, status, attendance, date of registration."""

    event = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Événement"), queryset=EventPage.objects.order_by("-start"), field_name="event"
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
        fields = ["event", "status", "attendance", "created_at"]

    def filter_attendance(self, queryset, name, value):
        """Absent: confirmed, the event has started, no check-in; the same words as the exports."""
        absent = Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=True, event__start__lte=timezone.now())
        if value == ATTENDANCE_PRESENT:
            return queryset.filter(checked_in_at__isnull=False)
        if value == ATTENDANCE_ABSENT:
            return queryset.filter(absent)
        if value == ATTENDANCE_UNKNOWN:
            return queryset.filter(checked_in_at__isnull=True).exclude(absent)
        return queryset


class AttendanceColumn(Column):
    def get_value(self, instance):
        return exports.attendance_label(instance, now=self.now)

    @cached_property
    def now(self):
        return timezone.now()


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


class RegistrationIndexView(IndexView):
    """The listing: one column per question when filtered on one event, a summary otherwise."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event").prefetch_related("event__registration_questions")

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
                HeaderButton(
                    _("Page des inscriptions"), reverse("inscriptions:event", args=[event.pk]), icon_name="group"
                ),
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
            TitleColumn(
                "full_name",
                label=_("Nom"),
                sort_key="last_name",
                width="18%",
                get_url=lambda registration: reverse("inscriptions:edit", args=[registration.pk]),
            ),
            Column("email", label=_("E-mail"), sort_key="email"),
            Column("organisation", label=_("Structure"), sort_key="organisation"),
            Column("seats", label=_("Places"), sort_key="seats"),
            Column("get_status_display", label=_("Statut"), sort_key="status"),
            AttendanceColumn("attendance", label=_("Présence"), sort_key="checked_in_at"),
            DateColumn("created_at", label=_("Inscrit·e le"), sort_key="created_at"),
        ]
        if self.filtered_event is not None:
            questions = self.filtered_event.registration_questions.order_by("sort_order", "pk")
            columns += [AnswerColumn(question) for question in questions]
        else:
            event_column = TitleColumn(
                "event",
                label=_("Événement"),
                sort_key="event__start",
                get_url=lambda registration: reverse("inscriptions:event", args=[registration.event_id]),
            )
            columns.insert(1, event_column)
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
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        self.registration = get_object_or_404(Registration.objects.select_related("event"), pk=kwargs["pk"])
        self.event = self.registration.event
        if self.registration.anonymized_at:
            messages.error(request, _("Cette inscription a été anonymisée : il n'y a plus rien à modifier."))
            return redirect("inscriptions:event", self.registration.event_id)
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
        return redirect("inscriptions:event", self.registration.event_id)


class RegistrationViewSet(ModelViewSet):
    """ "Inscriptions" → "Toutes les inscriptions": listing, filters, search, edit, history."""

    model = Registration
    name = "inscriptions"
    url_prefix = "inscriptions"
    icon = "group"
    menu_label = gettext_lazy("Toutes les inscriptions")
    menu_order = 100
    index_view_class = RegistrationIndexView
    add_view_class = ChooseEventView
    edit_view_class = RegistrationEditView
    copy_view_enabled = False
    add_to_reference_index = False  # registrations are not content (see Registration.wagtail_reference_index_ignore)
    filterset_class = RegistrationFilterSet
    search_fields = ["first_name", "last_name", "email", "organisation"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["-created_at", "-pk"]

    @cached_property
    def permission_policy(self):
        return RegistrationPermissionPolicy(Registration)

    def get_add_view_kwargs(self, **kwargs):
        return {}

    def get_edit_view_kwargs(self, **kwargs):
        return {}

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("evenement/<int:event_id>/", EventRegistrationsView.as_view(), name="event"),
            path("evenement/<int:event_id>/actions/", EventActionView.as_view(), name="event_action"),
            path("evenement/<int:event_id>/pointage/", CheckInView.as_view(), name="check_in"),
            path("evenement/<int:event_id>/ajouter/", StaffRegistrationView.as_view(), name="event_add"),
            path("evenement/<int:event_id>/ecrire/", EmailAttendeesView.as_view(), name="email_attendees"),
            path("evenement/<int:event_id>/export.<str:fmt>", ExportView.as_view(), name="export"),
            path("evenement/<int:event_id>/emargement.pdf", SigninSheetPdfView.as_view(), name="signin_pdf"),
            path("evenement/<int:event_id>/emargement/", SigninSheetHtmlView.as_view(), name="signin_html"),
        ]


# ---------------------------------------------------------------------------
# Per-event view and its actions


class EventRegistrationsView(EventMixin, WagtailAdminTemplateMixin, TemplateView):
    """One event at a glance: figures, requests to decide, waiting list, attendees, with their actions."""

    template_name = "registrations/admin/event.html"
    header_icon = "group"

    def get_page_title(self):
        return _("Inscriptions : %(title)s") % {"title": self.event.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("inscriptions:index"), "label": _("Inscriptions")},
            {"url": "", "label": self.event.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = list(self.event.registrations.order_by("created_at", "pk"))
        by_status = {status: [] for status in RegistrationStatus.values}
        for registration in registrations:
            registration.event = self.event
            by_status[registration.status].append(registration)
        context.update(
            event=self.event,
            figures=reports.event_figures(self.event),
            when=signin_sheet.event_when(self.event),
            pending=by_status[RegistrationStatus.PENDING],
            confirmed=by_status[RegistrationStatus.CONFIRMED],
            waitlisted=by_status[RegistrationStatus.WAITLISTED],
            closed=by_status[RegistrationStatus.CANCELLED] + by_status[RegistrationStatus.REJECTED],
            statuses=RegistrationStatus,
            page_edit_url=reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
        )
        return context


class EventActionView(EventMixin, StaffPageMixin, View):
    """POST only: one action for one registration (``single=action:id``) or for the ticked ones.

    Cancelling and refusing first show a confirmation page (with the "notify"
    checkbox), so that a mis-tap never frees someone's seat.
    """

    http_method_names = ["post"]
    ACTIONS = {"approve", "reject", "cancel", "check_in", "check_out", "resend", "promote"}
    NEEDS_CONFIRMATION = {"cancel", "reject"}
    template_name = "registrations/admin/confirm_action.html"

    def get_page_title(self):
        if self.action == "reject":
            return _("Confirmer le refus")
        return _("Confirmer l'annulation")

    def post(self, request, event_id):
        action, ids = self.parse(request.POST)
        self.action = action
        back_url = safe_next_url(request, self.event_url())
        if action not in self.ACTIONS:
            messages.error(request, _("Action inconnue."))
            return redirect(back_url)
        if action == "promote":
            self.promote()
            return redirect(back_url)
        registrations = list(self.event.registrations.filter(pk__in=ids).order_by("created_at", "pk"))
        if not registrations:
            messages.warning(request, _("Cochez au moins une inscription."))
            return redirect(back_url)
        if action in self.NEEDS_CONFIRMATION and request.POST.get("confirmed") != "1":
            context = self.get_context_data(
                event=self.event, action=action, registrations=registrations, back_url=back_url
            )
            return self.render_to_response(context)
        notify = request.POST.get("notify") == "1"
        done = []
        for registration in registrations:
            registration.event = self.event
            try:
                self.run(action, registration, notify=notify)
            except services.RegistrationError as error:
                messages.error(request, f"{registration.full_name} : {error.message}")
                continue
            if action == "approve" and registration.status == RegistrationStatus.WAITLISTED:
                messages.warning(
                    request,
                    _("%(name)s : plus de place libre, la demande passe sur la liste d'attente.")
                    % {"name": registration.full_name},
                )
            else:
                done.append(registration.full_name)
        if done:
            messages.success(request, self.success_message(action) % {"names": ", ".join(done)})
        return redirect(back_url)

    @staticmethod
    def parse(data):
        single = data.get("single", "")
        if ":" in single:
            action, _sep, pk = single.partition(":")
            return action, [pk] if pk.isdigit() else []
        return data.get("action", ""), [pk for pk in data.getlist("registration") if pk.isdigit()]

    def run(self, action, registration, *, notify):
        user = self.request.user
        if action == "approve":
            services.approve(registration, by=user)
        elif action == "reject":
            services.reject(registration, by=user, notify=notify)
        elif action == "cancel":
            services.cancel(registration, by=user, notify=notify)
        elif action == "check_in":
            services.check_in(registration, by=user, present=True)
        elif action == "check_out":
            services.check_in(registration, by=user, present=False)
        elif action == "resend":
            services.resend_confirmation(registration)
            log_actions.log(instance=registration, action="registrations.resend", user=user)

    @staticmethod
    def success_message(action):
        return {
            "approve": _("Demandes acceptées : %(names)s."),
            "reject": _("Demandes refusées : %(names)s."),
            "cancel": _("Inscriptions annulées : %(names)s."),
            "check_in": _("Présence enregistrée : %(names)s."),
            "check_out": _("Présence retirée : %(names)s."),
            "resend": _("E-mail renvoyé à : %(names)s."),
        }[action]

    def promote(self):
        try:
            promoted = services.promote_waitlist(self.event, by=self.request.user)
        except services.RegistrationError as error:
            messages.error(self.request, error.message)
            return
        if promoted:
            names = ", ".join(registration.full_name for registration in promoted)
            messages.success(self.request, _("Sorties de la liste d'attente : %(names)s.") % {"names": names})
        else:
            messages.warning(self.request, _("Aucune place libre pour la liste d'attente."))


class CheckInView(EventMixin, StaffPageMixin, TemplateView):
    """Attendance at the door, made for a phone: search by name, one tap per person, works without JS."""

    template_name = "registrations/admin/check_in.html"
    header_icon = "tick"

    def get_page_title(self):
        return _("Pointage : %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        attendees = self.event.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by(
            "last_name", "first_name", "pk"
        )
        if query:
            for word in query.split():
                attendees = attendees.filter(
                    Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(organisation__icontains=word)
                )
        context.update(
            event=self.event,
            query=query,
            attendees=attendees,
            figures=reports.event_figures(self.event),
            action_url=self.event_url("event_action"),
            back_url=self.request.get_full_path(),
        )
        return context


class StaffRegistrationView(EventMixin, StaffPageMixin, FormView):
    """A registration taken by phone or at the desk, through ``services.register(source=STAFF)``."""

    template_name = "registrations/admin/add.html"
    form_class = StaffRegistrationForm
    header_icon = "user"

    def get_page_title(self):
        return _("Ajouter une inscription : %(title)s") % {"title": self.event.title}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event=self.event, figures=reports.event_figures(self.event))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            registration = services.register(
                self.event,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organisation=data["organisation"],
                phone=data["phone"],
                seats=data["seats"],
                answers=form.answers(),
                source=RegistrationSource.STAFF,
                allow_over_capacity=data["allow_over_capacity"],
                by=self.request.user,
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            messages.error(self.request, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s est inscrit·e (%(status)s).")
            % {"name": registration.full_name, "status": registration.get_status_display().lower()},
        )
        return redirect(self.event_url())


def send_to_attendees(event, subject, message):
    """Queue one private e-mail per confirmed registration, after the transaction commits.

    Returns the number of recipients. Delivery goes through the task queue, so a
    mail-server failure is retried and never rolls anything back.
    """
    from registrations.tasks import send_attendee_message

    ids = list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymized_at__isnull=True)
        .exclude(email="")
        .values_list("pk", flat=True)
        .order_by("pk")
    )

    def enqueue():
        for registration_id in ids:
            send_attendee_message.enqueue(registration_id, subject, message)

    transaction.on_commit(enqueue)
    return len(ids)


class EmailAttendeesView(EventMixin, StaffPageMixin, FormView):
    """Write to every confirmed attendee of one event (one private e-mail each), recorded in the history."""

    template_name = "registrations/admin/email_attendees.html"
    form_class = EmailAttendeesForm
    header_icon = "mail"

    def get_page_title(self):
        return _("Écrire aux participant·es : %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event=self.event, figures=reports.event_figures(self.event))
        return context

    def form_valid(self, form):
        with transaction.atomic():
            count = send_to_attendees(self.event, form.cleaned_data["subject"], form.cleaned_data["message"])
            log_actions.log(
                instance=self.event,
                action="registrations.email_attendees",
                user=self.request.user,
                data={"subject": form.cleaned_data["subject"], "recipients": count},
            )
        messages.success(self.request, _("Message envoyé à %(count)d personne(s).") % {"count": count})
        return redirect(self.event_url())


# ---------------------------------------------------------------------------
# Downloads: exports and sign-in sheets


class ExportView(EventMixin, View):
    """CSV (streamed) or XLSX (spooled to a temporary file) of one event's registrations."""

    def get(self, request, event_id, fmt):
        status = request.GET.get("statut") or None
        if fmt not in ("csv", "xlsx") or (status and status not in RegistrationStatus.values):
            raise Http404
        rows = exports.registration_rows(self.event, status=status)
        filename = exports.export_filename(self.event, fmt)
        log_actions.log(
            instance=self.event,
            action="registrations.export",
            user=request.user,
            data={"format": fmt, "status": status},
        )
        if fmt == "csv":
            response = StreamingHttpResponse(exports.iter_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        exports.write_xlsx(rows, file)
        file.seek(0)
        return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def blank_rows_from(request):
    value = request.GET.get("vierges", "")
    return int(value) if value.isdigit() else signin_sheet.DEFAULT_BLANK_ROWS


class SigninSheetPdfView(EventMixin, View):
    def get(self, request, event_id):
        pdf = signin_sheet.render_pdf(self.event, blank_rows=blank_rows_from(request))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{signin_sheet.pdf_filename(self.event)}"'
        return response


class SigninSheetHtmlView(EventMixin, View):
    """A print-ready page (A4, header repeated on each page) without the admin's menus."""

    def get(self, request, event_id):
        context = signin_sheet.signin_sheet_data(self.event, blank_rows=blank_rows_from(request))
        context["first_blank_number"] = len(context["attendees"]) + 1
        return TemplateResponse(request, "registrations/admin/signin_sheet.html", context)


# ---------------------------------------------------------------------------
# Reports


class ReportView(ManagerRequiredMixin, StaffPageMixin, TemplateView):
    """Figures for funders over a period, on screen and as XLSX (``?format=xlsx``)."""

    template_name = "registrations/admin/report.html"
    page_title = gettext_lazy("Rapports d'inscriptions")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        date_from, date_to = ReportPeriodForm.default_period()
        data = request.GET if "date_from" in request.GET else {"date_from": date_from, "date_to": date_to}
        self.form = ReportPeriodForm(data)
        self.report = None
        if self.form.is_valid():
            self.report = reports.period_report(self.form.cleaned_data["date_from"], self.form.cleaned_data["date_to"])
            if request.GET.get("format") == "xlsx":
                return self.xlsx_response()
        return super().get(request, *args, **kwargs)

    def xlsx_response(self):
        file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        exports.write_xlsx(reports.period_report_rows(self.report), file, sheet_title=_("Rapport"))
        file.seek(0)
        filename = f"rapport-inscriptions-{self.report.date_from.isoformat()}-{self.report.date_to.isoformat()}.xlsx"
        return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, report=self.report)
        if self.report is not None:
            context["xlsx_url"] = (
                "?" + self.request.GET.urlencode() + "&format=xlsx"
                if self.request.GET
                else (
                    "?"
                    + f"date_from={self.report.date_from.isoformat()}&date_to={self.report.date_to.isoformat()}"
                    + "&format=xlsx"
                )
            )
        return context


class ReportViewSet(ViewSet):
    name = "inscriptions_rapports"
    url_prefix = "inscriptions-rapports"
    icon = "table"
    menu_label = gettext_lazy("Rapports")
    menu_order = 200

    @property
    def menu_item_class(self):
        class ReportMenuItem(MenuItem):
            def is_shown(self, request):
                return can_manage_registrations(request.user)

        return ReportMenuItem

    def get_urlpatterns(self):
        return [path("", ReportView.as_view(), name="index")]


class RegistrationViewSetGroup(ViewSetGroup):
    """The "Inscriptions" menu of the admin."""

    menu_label = gettext_lazy("Inscriptions")
    menu_icon = "group"
    menu_order = 250
    items = (RegistrationViewSet, ReportViewSet)
