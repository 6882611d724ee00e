"""One event's staff pages: its registrations, the door check-in, adding by hand, writing to attendees.

The buttons of a single row (approve, check-in, resend) and the waiting-list
button are small POST views, each bound to one service call; what concerns the
ticked rows, and cancelling or refusing one row, goes through the bulk actions
and their confirmation page (``bulk_actions``).
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages

from registrations import payments, services
from registrations.admin.base import SEARCH_MAX_WORDS, EventMixin, StaffPageMixin, event_url, safe_next_url, search_text
from registrations.admin.forms import EmailAttendeesForm, StaffRegistrationForm
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations
from registrations.figures import event_figures
from registrations.models import Attendee, Registration, RegistrationSource, RegistrationStatus


class EventRegistrationsView(EventMixin, StaffPageMixin, TemplateView):
    """One event at a glance: figures, requests to decide, waiting list, attendees, with their actions."""

    template_name = "registrations/admin/event.html"
    header_icon = "group"

    def get_page_title(self):
        return _("Inscriptions : %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.release_expired_holds(self.event)  # the lists and tiles below show no lapsed offer
        active_people = Attendee.objects.filter(cancelled_at__isnull=True)
        registrations = list(
            self.event.registrations.order_by("created_at", "pk").prefetch_related(
                Prefetch("attendees", queryset=active_people, to_attr="people")
            )
        )
        by_status = {status: [] for status in RegistrationStatus.values}
        for registration in registrations:
            registration.event = self.event
            by_status[registration.status].append(registration)
        paid = self.event.price_tiers.exists()
        if paid:  # a paid workshop: each row shows what is left to pay, and links to its payments
            accounts = payments.money_by_registration(registrations)
            for registration in registrations:
                registration.account = accounts[registration.pk]
        context.update(
            event=self.event,
            event_url=self.event_url(),
            figures=event_figures(self.event),
            when=self.event.dates_display,
            pending=by_status[RegistrationStatus.PENDING],
            confirmed=by_status[RegistrationStatus.CONFIRMED],
            waitlisted=by_status[RegistrationStatus.WAITLISTED],
            offered=by_status[RegistrationStatus.OFFERED],
            unverified=by_status[RegistrationStatus.UNVERIFIED],
            allocation_rule=services.ALLOCATION_RULE,
            paid=paid,
            closed=by_status[RegistrationStatus.CANCELLED] + by_status[RegistrationStatus.REJECTED],
            statuses=RegistrationStatus,
            page_edit_url=reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
        )
        return context


class RegistrationActionView(ManagerRequiredMixin, View):
    """POST only: one action (``action_class``, set per URL) on one registration, then back to the event.

    ``next`` (the door screen passes its search) is followed when it stays on the site.
    """

    http_method_names = ["post"]
    action_class = None

    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
        self.action_class(request).run_on([registration])
        return redirect(safe_next_url(request, event_url(registration.event)))


class PromoteWaitlistView(EventMixin, View):
    """POST only: give the free seats to the waiting list, in order (``services.promote_waitlist``)."""

    http_method_names = ["post"]

    def post(self, request, event_id):
        try:
            promoted = services.promote_waitlist(self.event, by=request.user)
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(self.event_url())
        offered = [r.full_name for r in promoted if r.status == RegistrationStatus.OFFERED]
        confirmed = [r.full_name for r in promoted if r.status == RegistrationStatus.CONFIRMED]
        if offered:
            messages.success(request, _("Place proposée par e-mail à : %(names)s.") % {"names": ", ".join(offered)})
        if confirmed:
            messages.success(request, _("Sorties de la liste d'attente : %(names)s.") % {"names": ", ".join(confirmed)})
        if not promoted:
            remaining = services.seats_remaining(self.event)
            if self.event.start <= timezone.now():
                messages.warning(request, _("L'événement a commencé : la liste d'attente n'est plus servie."))
            elif remaining:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d place libre, mais aucune demande en attente ne tient dans cette place.",
                        "%(count)d places libres, mais aucune demande en attente ne tient dans ces places.",
                        remaining,
                    )
                    % {"count": remaining},
                )
            else:
                messages.warning(request, _("Aucune place libre pour la liste d'attente."))
        return redirect(self.event_url())


class CheckInView(EventMixin, StaffPageMixin, TemplateView):
    """Attendance at the door, made for a phone: a QR reader, search by name, one tap per person, works without JS.

    One line per person (``Attendee``) of the confirmed registrations; a name
    search also finds the companions of a registrant found by name or
    organisation.
    """

    template_name = "registrations/admin/check_in.html"
    header_icon = "tick"

    def get_page_title(self):
        return _("Pointage : %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = search_text(self.request.GET.get("q", ""))
        attendees = (
            Attendee.objects.filter(
                registration__event=self.event,
                registration__status=RegistrationStatus.CONFIRMED,
                cancelled_at__isnull=True,
            )
            .select_related("registration")
            .order_by("last_name", "first_name", "registration_id", "position")
        )
        if query:
            for word in query.split()[:SEARCH_MAX_WORDS]:
                attendees = attendees.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(registration__first_name__icontains=word)
                    | Q(registration__last_name__icontains=word)
                    | Q(registration__organisation__icontains=word)
                )
        context.update(
            event=self.event,
            query=query,
            attendees=attendees,
            figures=event_figures(self.event),
            back_url=self.request.get_full_path(),
        )
        return context


class AttendeeCheckInView(ManagerRequiredMixin, View):
    """POST only: one person arrives (or the mistake is undone), then back to the door screen."""

    http_method_names = ["post"]
    present = True

    def post(self, request, pk):
        attendee = get_object_or_404(Attendee.objects.select_related("registration__event"), pk=pk)
        event = attendee.registration.event
        try:
            services.check_in_attendee(attendee, by=request.user, present=self.present)
        except services.RegistrationError as error:
            messages.error(request, f"{attendee.full_name} : {error.message}")
        else:
            message = _("Présence enregistrée : %(name)s.") if self.present else _("Présence retirée : %(name)s.")
            messages.success(request, message % {"name": attendee.full_name})
        return redirect(safe_next_url(request, event_url(event, "check_in")))


class CancelAttendeeView(ManagerRequiredMixin, StaffPageMixin, TemplateView):
    """One person of a group cannot come (told by phone): a confirmation, then ``services.cancel_attendee``."""

    template_name = "registrations/admin/cancel_attendee.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if can_manage_registrations(request.user):  # the others are refused by ManagerRequiredMixin
            self.attendee = get_object_or_404(Attendee.objects.select_related("registration__event"), pk=kwargs["pk"])
            self.event = self.attendee.registration.event
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Annuler la place de %(name)s") % {"name": self.attendee.full_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.attendee.registration
        others = registration.attendees.filter(cancelled_at__isnull=True).exclude(pk=self.attendee.pk).count()
        context.update(attendee=self.attendee, registration=registration, last_seat=others == 0)
        context["back_url"] = reverse("inscriptions:edit", args=[registration.pk])
        return context

    def post(self, request, pk):
        registration = self.attendee.registration
        try:
            services.cancel_attendee(self.attendee, by=request.user, notify=bool(request.POST.get("notify")))
        except services.RegistrationError as error:
            messages.error(request, f"{self.attendee.full_name} : {error.message}")
        else:
            messages.success(request, _("Place annulée : %(name)s.") % {"name": self.attendee.full_name})
        return redirect(event_url(registration.event))


class CheckInCodeView(EventMixin, View):
    """POST only: the text of a scanned QR code (filled by the reader, typed or pasted), checked by the services.

    Says who is now present, or why the code lets nobody in, on the door screen.
    """

    http_method_names = ["post"]

    def post(self, request, event_id):
        code = request.POST.get("code", "")[:500]
        if not code.strip():
            messages.error(request, _("Aucun code lu : scannez le code QR de la personne, ou cherchez son nom."))
            return redirect(self.event_url("check_in"))
        try:
            _registration, people = services.check_in_by_code(self.event, code, by=request.user)
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(self.event_url("check_in"))
        names = ", ".join(person.full_name for person in people)
        messages.success(
            request,
            ngettext(
                "Code accepté : %(names)s est pointé·e présent·e.",
                "Code accepté : %(count)d personnes pointées présentes : %(names)s.",
                len(people),
            )
            % {"names": names, "count": len(people)},
        )
        return redirect(self.event_url("check_in"))


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
        context.update(event=self.event, figures=event_figures(self.event))
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
                companions=form.companions,
                price_tiers=form.price_tiers,
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


class EmailAttendeesView(EventMixin, StaffPageMixin, FormView):
    """Write to every confirmed attendee of one event (``services.send_message_to_attendees``)."""

    template_name = "registrations/admin/email_attendees.html"
    form_class = EmailAttendeesForm
    header_icon = "mail"

    def get_page_title(self):
        return _("Écrire aux participant·es : %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event=self.event, figures=event_figures(self.event))
        return context

    def form_valid(self, form):
        try:
            count = services.send_message_to_attendees(
                self.event, form.cleaned_data["subject"], form.cleaned_data["message"], by=self.request.user
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            messages.error(self.request, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Message mis en file d'envoi pour %(count)d personne(s).") % {"count": count})
        return redirect(self.event_url())
