"""One event's staff pages: its registrations, the door check-in, adding by hand, writing to attendees.

The buttons of a single row (approve, check-in, resend) and the waiting-list
button are small POST views, each bound to one service call; what concerns the
ticked rows, and cancelling or refusing one row, goes through the bulk actions
and their confirmation page (``bulk_actions``).
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages

from events.models import CourseSession, EventSchedule
from registrations import payments, services
from registrations.admin.base import (
    SEARCH_MAX_WORDS,
    EventMixin,
    StaffPageMixin,
    event_url,
    registration_event_url,
    safe_next_url,
    search_text,
)
from registrations.admin.forms import EmailAttendeesForm, StaffRegistrationForm
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations
from registrations.figures import course_figures, event_figures
from registrations.models import Attendee, Registration, RegistrationSource, RegistrationStatus, SessionPresence

# People listed per page on an event's registrations page: an event of a thousand registrations is read and
# drawn 50 at a time, so the page costs the same whatever the event's size (docs/performance.md).
PER_PAGE = 50
PAGE_PARAMETER = "p"  # Wagtail's listings name their page the same way

# The sections of an event's page, in their order (who waits for a decision first, then who comes, then the
# closed ones), each with the statuses it lists, in the order it lists them.
SECTIONS = [
    ("pending", [RegistrationStatus.PENDING]),
    ("waitlisted", [RegistrationStatus.WAITLISTED]),
    ("offered", [RegistrationStatus.OFFERED]),
    ("unverified", [RegistrationStatus.UNVERIFIED]),
    ("awaiting_payment", [RegistrationStatus.AWAITING_PAYMENT]),
    ("confirmed", [RegistrationStatus.CONFIRMED]),
    ("closed", [RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED]),
]
STATUS_ORDER = [status for _key, statuses in SECTIONS for status in statuses]


@dataclass
class Section:
    """One section of the page: its count over every page, its rows on this page, the page where it starts."""

    key: str
    count: int = 0
    start: int = 0  # its first row's rank among all the rows of the event (0-based)
    rows: list = field(default_factory=list)
    first_page: int = 1
    offset: int = 0  # the rank of this page's first row among all the rows
    url: str = ""  # the page where it starts, when it has no row on this one

    @property
    def first_shown(self):
        """The section's own number (1-based) of its first row on this page."""
        return max(self.offset - self.start, 0) + 1

    @property
    def last_shown(self):
        return self.first_shown + len(self.rows) - 1

    @property
    def split(self):
        """True when the section does not fit on this page: the page then says which of its rows it shows."""
        return 0 < len(self.rows) < self.count


def registration_pages(unit, page_number, per_page=PER_PAGE):
    """One page of a unit's registrations, cut into the page's sections, in three queries whatever their number.

    The rows run through the sections in order (``SECTIONS``), each by date of registration, and are
    cut ``per_page`` at a time: page 2 holds the next people, whatever their sections. Each section
    knows its count over every page (one query, grouped by status) and the page where it starts, so a
    heading says « Inscriptions confirmées (700) » on every page and a section listed on another page
    links there. Then one query for the rows of the page and one for their people.
    """
    counts = dict(unit.registrations.order_by().values_list("status").annotate(count=Count("pk")))
    total = sum(counts.get(status, 0) for status in STATUS_ORDER)
    page = Paginator(range(total), per_page).get_page(page_number)  # the total is known: no COUNT query
    offset = (page.number - 1) * per_page
    sections, start = {}, 0
    for key, statuses in SECTIONS:
        count = sum(counts.get(status, 0) for status in statuses)
        sections[key] = Section(key, count=count, start=start, first_page=start // per_page + 1, offset=offset)
        start += count
    rank = Case(*(When(status=status, then=Value(n)) for n, status in enumerate(STATUS_ORDER)))
    active_people = Attendee.objects.filter(cancelled_at__isnull=True)
    rows = list(
        unit.registrations.alias(rank=rank)
        .order_by("rank", "created_at", "pk")
        .prefetch_related(Prefetch("attendees", queryset=active_people, to_attr="people"))[offset : offset + per_page]
    )
    section_of = {status: sections[key] for key, statuses in SECTIONS for status in statuses}
    for registration in rows:
        section_of[registration.status].rows.append(registration)
    return page, sections, rows


class EventRegistrationsView(EventMixin, StaffPageMixin, TemplateView):
    """One event at a glance: figures, requests to decide, waiting list, attendees, with their actions.

    The figures at the top cover every registration; the lists below are paginated (``PER_PAGE``,
    ``?p=``), so that the page of an event with a thousand registrations costs what a small one does.
    """

    template_name = "registrations/admin/event.html"
    header_icon = "group"
    per_page = PER_PAGE

    def get(self, request, *args, **kwargs):
        if self.event.schedule == EventSchedule.SERIES and self.occurrence is None:
            return redirect("inscriptions:dates", event_id=self.event.pk)  # a series is worked on date by date
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return unit_title(_("Inscriptions : %(title)s"), self.unit)

    def page_url(self, number):
        """This page of the event's registrations (``?date=`` kept), where its actions come back to."""
        url = self.event_url()
        if number > 1:
            url += ("&" if "?" in url else "?") + urlencode({PAGE_PARAMETER: number})
        return url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The lists and tiles below show no lapsed offer.
        services.release_expired_holds(self.event, occurrence=self.occurrence)
        page, sections, registrations = registration_pages(
            self.unit, self.request.GET.get(PAGE_PARAMETER), self.per_page
        )
        for section in sections.values():
            if section.count and not section.rows:
                section.url = self.page_url(section.first_page)
        for registration in registrations:
            registration.event = self.event
            registration.occurrence = self.occurrence
        paid = self.event.price_tiers.exists()
        if paid:  # a paid workshop: each row shows what is left to pay, and links to its payments
            accounts = payments.money_by_registration(registrations)
            for registration in registrations:
                registration.account = accounts[registration.pk]
        context.update(
            **self.unit_context(),
            unit_venue=self.unit.venue,
            event_url=self.page_url(page.number),
            figures=event_figures(self.event, occurrence=self.occurrence),
            page_obj=page,
            page_links=[
                (number, "" if number == page.paginator.ELLIPSIS else self.page_url(number))
                for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ],
            previous_url=self.page_url(page.number - 1) if page.has_previous() else "",
            next_url=self.page_url(page.number + 1) if page.has_next() else "",
            sections=sections,
            allocation_rule=services.ALLOCATION_RULE,
            paid=paid,
            statuses=RegistrationStatus,
            page_edit_url=reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
            course=course_figures(self.event) if self.event.is_course else None,
        )
        return context


def unit_title(pattern, unit):
    """A page title naming the event, and the date for one date of a series."""
    title = unit.event.title
    if unit.occurrence is not None:
        title = f"{title} — {unit.dates_display}"
    return pattern % {"title": title}


class RegistrationActionView(ManagerRequiredMixin, View):
    """POST only: one action (``action_class``, set per URL) on one registration, then back to the event.

    ``next`` (the door screen passes its search) is followed when it stays on the site.
    """

    http_method_names = ["post"]
    action_class = None

    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("event", "occurrence"), pk=pk)
        self.action_class(request).run_on([registration])
        return redirect(safe_next_url(request, registration_event_url(registration)))


class PromoteWaitlistView(EventMixin, View):
    """POST only: give the free seats to the waiting list, in order (``services.promote_waitlist``)."""

    needs_date = True

    http_method_names = ["post"]

    def post(self, request, event_id):
        try:
            promoted = services.promote_waitlist(self.event, by=request.user, occurrence=self.occurrence)
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
            remaining = services.seats_remaining(self.event, occurrence=self.occurrence)
            if self.unit.start <= timezone.now():
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

    needs_date = True

    template_name = "registrations/admin/check_in.html"
    header_icon = "tick"

    def get_page_title(self):
        return unit_title(_("Pointage : %(title)s"), self.unit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = search_text(self.request.GET.get("q", ""))
        attendees = (
            Attendee.objects.filter(
                registration__in=self.unit.registrations,
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
            **self.unit_context(),
            query=query,
            attendees=attendees,
            figures=event_figures(self.event, occurrence=self.occurrence),
            back_url=self.request.get_full_path(),
        )
        if self.event.is_course:
            context.update(self.session_context(attendees))
        return context

    def session_context(self, attendees):
        """A course is checked in session by session: the chosen one (``?seance=``, else today's) and who came."""
        session = chosen_session(self.event, self.request.GET.get("seance"))
        present = set(
            SessionPresence.objects.filter(
                session=session,
                attendee__cancelled_at__isnull=True,
                attendee__registration__status=RegistrationStatus.CONFIRMED,
            ).values_list("attendee_id", flat=True)
        )
        attendees = list(attendees)
        for attendee in attendees:
            attendee.session_present = attendee.pk in present
        return {
            "sessions": self.event.course_sessions,
            "session": session,
            "session_number": self.event.course_sessions.index(session) + 1,
            "attendees": attendees,
            "session_present": len(present),
        }


def chosen_session(event, value):
    """The session of a course named by a form's ``seance`` (its id), else the default one (``default_session``)."""
    sessions = {str(session.pk): session for session in event.course_sessions}
    return sessions.get(str(value or "")) or event.default_session()


class AttendeeSessionCheckInView(ManagerRequiredMixin, View):
    """POST only: one person at one session of a course (``services.check_in_session``), then back to the door."""

    http_method_names = ["post"]
    present = True

    def post(self, request, pk, session_id):
        attendee = get_object_or_404(Attendee.objects.select_related("registration__event"), pk=pk)
        event = attendee.registration.event
        session = get_object_or_404(CourseSession, pk=session_id)
        try:
            services.check_in_session(attendee, session, by=request.user, present=self.present)
        except services.RegistrationError as error:
            messages.error(request, f"{attendee.full_name} : {error.message}")
        else:
            message = _("Présence enregistrée : %(name)s.") if self.present else _("Présence retirée : %(name)s.")
            messages.success(request, message % {"name": attendee.full_name})
        default = f"{event_url(event, 'check_in')}?{urlencode({'seance': session.pk})}"
        return redirect(safe_next_url(request, default))


class AttendeeCheckInView(ManagerRequiredMixin, View):
    """POST only: one person arrives (or the mistake is undone), then back to the door screen."""

    http_method_names = ["post"]
    present = True

    def post(self, request, pk):
        attendee = get_object_or_404(
            Attendee.objects.select_related("registration__event", "registration__occurrence"), pk=pk
        )
        try:
            services.check_in_attendee(attendee, by=request.user, present=self.present)
        except services.RegistrationError as error:
            messages.error(request, f"{attendee.full_name} : {error.message}")
        else:
            message = _("Présence enregistrée : %(name)s.") if self.present else _("Présence retirée : %(name)s.")
            messages.success(request, message % {"name": attendee.full_name})
        return redirect(safe_next_url(request, registration_event_url(attendee.registration, "check_in")))


class CancelAttendeeView(ManagerRequiredMixin, StaffPageMixin, TemplateView):
    """One person of a group cannot come (told by phone): a confirmation, then ``services.cancel_attendee``."""

    template_name = "registrations/admin/cancel_attendee.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if can_manage_registrations(request.user):  # the others are refused by ManagerRequiredMixin
            self.attendee = get_object_or_404(
                Attendee.objects.select_related("registration__event", "registration__occurrence"), pk=kwargs["pk"]
            )
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
        return redirect(registration_event_url(registration))


class CheckInCodeView(EventMixin, View):
    """POST only: the text of a scanned QR code (filled by the reader, typed or pasted), checked by the services.

    Says who is now present, or why the code lets nobody in, on the door screen.
    """

    needs_date = True

    http_method_names = ["post"]

    def post(self, request, event_id):
        code = request.POST.get("code", "")[:500]
        if not code.strip():
            messages.error(request, _("Aucun code lu : scannez le code QR de la personne, ou cherchez son nom."))
            return redirect(self.event_url("check_in"))
        back = self.event_url("check_in")
        session = chosen_session(self.event, request.POST.get("seance")) if self.event.is_course else None
        if session is not None:
            back = f"{back}?{urlencode({'seance': session.pk})}"
        try:
            if session is not None:
                _registration, people = services.check_in_session_by_code(session, code, by=request.user)
            else:
                _registration, people = services.check_in_by_code(
                    self.event, code, by=request.user, occurrence=self.occurrence
                )
        except services.RegistrationError as error:
            messages.error(request, error.message)
            return redirect(back)
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
        return redirect(back)


class StaffRegistrationView(EventMixin, StaffPageMixin, FormView):
    """A registration taken by phone or at the desk, through ``services.register(source=STAFF)``."""

    needs_date = True

    template_name = "registrations/admin/add.html"
    form_class = StaffRegistrationForm
    header_icon = "user"

    def get_page_title(self):
        return unit_title(_("Ajouter une inscription : %(title)s"), self.unit)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(**self.unit_context(), figures=event_figures(self.event, occurrence=self.occurrence))
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
                audience=form.audience_answers(),
                companions=form.companions,
                price_tiers=form.price_tiers,
                proof_files=form.proof_files,
                source=RegistrationSource.STAFF,
                allow_over_capacity=data["allow_over_capacity"],
                by=self.request.user,
                occurrence=self.occurrence,
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

    needs_date = True

    template_name = "registrations/admin/email_attendees.html"
    form_class = EmailAttendeesForm
    header_icon = "mail"

    def get_page_title(self):
        return unit_title(_("Écrire aux participant·es : %(title)s"), self.unit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(**self.unit_context(), figures=event_figures(self.event, occurrence=self.occurrence))
        return context

    def form_valid(self, form):
        try:
            count = services.send_message_to_attendees(
                self.event,
                form.cleaned_data["subject"],
                form.cleaned_data["message"],
                by=self.request.user,
                occurrence=self.occurrence,
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            messages.error(self.request, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Message mis en file d'envoi pour %(count)d personne(s).") % {"count": count})
        return redirect(self.event_url())
