"""Public registration pages: the form, the thank-you page and the self-service page.

Thin: they validate input, call ``services`` and turn ``RegistrationError``
into messages. None of these pages may be cached (they hold forms, CSRF
tokens or personal data): every view is ``never_cache``.
"""

import contextlib
import logging

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from core import generation_memo, page_queries
from core.compiled_queries import CompiledQuery
from core.dates import format_datetime
from events.models import EventPage, EventSchedule, Occurrence
from home.models import SiteSettings
from registrations import documents, online_payment, payments, qrcodes, services, tokens
from registrations.booking import BookableUnit
from registrations.emails import unit_calendar_bytes
from registrations.forms import RegistrationForm
from registrations.models import EXPIRING_STATUSES, CheckoutState, OnlineCheckout, Registration, RegistrationStatus

logger = logging.getLogger(__name__)

# Generous per address: colleagues of one museum or university share one public IP.
IP_RATE = "30/h"
EMAIL_RATE = "5/h"
ALREADY_REGISTERED_NOTICE_RATE = "1/h"
PRIVACY_SLUG = "politique-de-confidentialite"
THANKS_COOKIE = "inscription_envoyee"
# ``?fait=`` after a cancellation: what became of the seats, for the sentence the page shows.
CANCELLED_DONE = {
    services.CancellationOutcome.REQUEST_WITHDRAWN: "demande-retiree",
    services.CancellationOutcome.LEAVES_WAITLIST: "liste-quittee",
    services.CancellationOutcome.OFFERED_TO_NEXT: "place-proposee",
    services.CancellationOutcome.OPEN_AGAIN: "place-ouverte",
}


# The event a registration URL names, its SQL built once per process (``core.compiled_queries``).
LIVE_EVENT = CompiledQuery(lambda pk: EventPage.objects.live().select_related("venue").filter(pk=pk), int)


def _live_event(event_id):
    """The live, public event of a registration URL, or 404 (a private section's events register nobody here)."""
    event = LIVE_EVENT.first(event_id)
    if event is None or not page_queries.is_public(event):
        raise Http404
    return event


def _live_unit(event_id, occurrence_id=None):
    """The bookable unit a public URL names: an event, or one date of a live series (404 for any other pair).

    Only the dates of a series have their own URL; a past or cancelled date
    still resolves, and the form then says why it is closed.
    """
    event = _live_event(event_id)
    if occurrence_id is None:
        return BookableUnit(event)
    if event.schedule != EventSchedule.SERIES:
        raise Http404
    occurrence = get_object_or_404(Occurrence.objects.select_related("venue"), pk=occurrence_id, event_id=event.pk)
    occurrence.event = event
    return BookableUnit(event, occurrence)


def _unit_url(name, unit):
    """A URL of the registration pages for this unit (with the date for a series)."""
    if unit.occurrence is None:
        return reverse(f"registrations:{name}", args=[unit.event.pk])
    return reverse(f"registrations:{name}_date", args=[unit.event.pk, unit.occurrence.pk])


def _privacy_url(request):
    """The privacy page chosen in the site settings, else the page with the agreed slug (once per generation)."""

    def read():
        page = SiteSettings.for_request(request).privacy_page
        if page is None or not page.live:
            page = Page.objects.live().filter(slug=PRIVACY_SLUG).first()
        return (page.url if page else None) or f"/{PRIVACY_SLUG}/"

    return generation_memo.remember(("privacy-url", request.get_host()), read)


def _over_ip_limit(request):
    """30 posts an hour per IP address, counted before validation (every post costs us work)."""
    return is_ratelimited(request, group="registrations.ip", key="ip", rate=IP_RATE, method="POST", increment=True)


def _over_address_limit(request, unit, email):
    """5 valid submissions an hour per address and event.

    Counted only once the form is valid, so junk posts carrying someone's
    address cannot lock that person out; per event, so that a person signing
    up to several workshops in a row is never blocked, and an attacker's posts
    about one event change nothing for the others (each date of a series is
    counted on its own, like an event). The mail a valid post
    for an address already registered sends its owner is limited further, to
    one an hour (``_may_notify_again``).
    """
    event_id, occurrence_id = unit.key
    key = f"{event_id}:{occurrence_id or ''}:{email[:254] or 'empty'}"
    return is_ratelimited(
        request, group="registrations.email", key=lambda group, request: key, rate=EMAIL_RATE, increment=True
    )


def _may_notify_again(request, registration):
    """One "already registered" mail per registration an hour: replays cannot flood the owner's mailbox."""
    return not is_ratelimited(
        request,
        group="registrations.already_registered_notice",
        key=lambda group, request: str(registration.pk),
        rate=ALREADY_REGISTERED_NOTICE_RATE,
        increment=True,
    )


def _thanks_redirect(unit, email, request):
    """The same answer for a new registration and an address already registered: "check your mailbox"."""
    url = _unit_url("thanks", unit)
    response = redirect(url)
    response.set_signed_cookie(
        THANKS_COOKIE,
        email,
        salt=tokens.THANKS_SALT,
        max_age=int(tokens.THANKS_MAX_AGE.total_seconds()),
        path=url,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register_view(request, event_id, occurrence_id=None):
    """The form of one unit; for a series without a date, the choice of its dates (each with its own seats)."""
    unit = _live_unit(event_id, occurrence_id)
    event = unit.event
    if unit.occurrence is None and event.schedule == EventSchedule.SERIES:
        context = {"event": event, "dates": services.series_dates(event), "availability": services.availability(event)}
        return render(request, "registrations/choose_date.html", context)
    form, refusal = None, ""
    if request.method == "POST":
        if _over_ip_limit(request):
            return render(request, "registrations/rate_limited.html", {"event": event}, status=429)
        # No availability read before the decision: ``services.register`` checks it under the unit's lock,
        # and a closed or full event raises a French message (the page below then says why).
        form = RegistrationForm(event, request.POST, request.FILES or None)
        if form.is_valid():
            email = services.normalize_email(form.cleaned_data["email"])
            if _over_address_limit(request, unit, email):
                return render(request, "registrations/rate_limited.html", {"event": event}, status=429)
            try:
                registration = services.register(event, occurrence=unit.occurrence, **form.registration_kwargs())
            except services.AlreadyRegistered as error:
                # Same page as a new registration (it must not tell who is registered); the owner is told by mail.
                if _may_notify_again(request, error.registration):
                    services.notify_already_registered(error.registration)
                return _thanks_redirect(unit, email, request)
            except services.RegistrationError as error:
                tokens.release_form_started(form.data.get("started", ""))
                form.add_error(None, error.message)
                refusal = error.message
            else:
                if registration.status == RegistrationStatus.AWAITING_PAYMENT:
                    return _go_to_checkout(request, registration)
                return _thanks_redirect(unit, email, request)
    availability = services.availability(event, occurrence=unit.occurrence)
    if not availability.accepts_registrations:
        form = None  # the page says why (the service's refusal, or closed, full, not open yet) instead of the form
    elif form is None:
        form = RegistrationForm(event)
    context = {
        "event": event,
        "unit": unit if unit.occurrence else None,
        "form_url": _unit_url("register", unit),
        "availability": availability,
        "form": form,
        "refusal": refusal,
        "privacy_url": _privacy_url(request),
    }
    return render(request, "registrations/register.html", context)


@never_cache
def thanks_view(request, event_id, occurrence_id=None):
    """The "check your mailbox" page, the same for everyone, with the address typed when the browser has the cookie."""
    unit = _live_unit(event_id, occurrence_id)
    email = request.get_signed_cookie(
        THANKS_COOKIE, default="", salt=tokens.THANKS_SALT, max_age=tokens.THANKS_MAX_AGE.total_seconds()
    )
    context = {"event": unit.event, "unit": unit if unit.occurrence else None, "email": email}
    return render(request, "registrations/thanks.html", context)


def _registration_from_link(request, value):
    """The registration behind a self-service link, or the response explaining why not."""
    try:
        token = tokens.read_manage_value(value)
    except tokens.LinkExpired:
        return None, render(request, "registrations/link_expired.html", status=410)
    except signing.BadSignature:
        return None, render(request, "registrations/link_invalid.html", status=400)
    registration = (
        Registration.objects.select_related("event", "event__venue", "occurrence", "occurrence__venue")
        .filter(token=token)
        .first()
    )
    if registration is None:
        return None, render(request, "registrations/link_invalid.html", status=400)
    if tokens.manage_link_expired(registration):
        return None, render(request, "registrations/link_expired.html", {"event": registration.event}, status=410)
    return registration, None


def _has_started(registration):
    """Cancelling is pointless once the booked event or date has begun (and would skew the attendance figures)."""
    return BookableUnit.of_registration(registration).start <= timezone.now()


def _shown_unit(registration):
    """The booked date for the pages' summary (None for an event without dates: the event is shown)."""
    unit = BookableUnit.of_registration(registration)
    return unit if unit.occurrence else None


# What the self-service page says after each of its buttons (``?fait=…``).
DONE_MESSAGES = {
    "acceptee": _("C'est noté : la place est à vous, votre inscription est confirmée."),
    "laissee": _("C'est noté : votre place est libérée pour quelqu'un d'autre. Merci de nous avoir répondu."),
    "verifiee": _("Merci, votre adresse e-mail est confirmée."),
}


def _release_if_lapsed(registration):
    """The page is read after an offer's or hold's deadline: release it now (under the lock), not at cron's next run."""
    lapsed = registration.expires_at is not None and registration.expires_at <= timezone.now()
    if registration.status in EXPIRING_STATUSES and lapsed:
        services.release_expired_holds(registration.event, occurrence=registration.occurrence)
        registration.refresh_from_db()


@never_cache
def manage_view(request, value):
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    _release_if_lapsed(registration)
    done = request.GET.get("fait", "")
    can_cancel = registration.is_active and not _has_started(registration)
    attendees = list(registration.attendees.filter(cancelled_at__isnull=True))
    show_code = registration.status == RegistrationStatus.CONFIRMED and not registration.anonymized_at
    context = {
        "registration": registration,
        "event": registration.event,
        "unit": _shown_unit(registration),
        "position": registration.waitlist_position(),
        "statuses": RegistrationStatus,
        "value": value,
        "done": done,
        "done_message": DONE_MESSAGES.get(done, ""),
        "error": request.GET.get("erreur", "") == "delai",
        "expires_when": format_datetime(registration.expires_at) if registration.expires_at else "",
        "can_cancel": can_cancel,
        "outcome": services.cancellation_outcome(registration) if can_cancel else None,
        "outcomes": services.CancellationOutcome,
        "seat_cancelled": _cancelled_seat_named(registration, request.GET.get("personne", "")),
        "attendees": attendees,
        # One seat of a group: only while others stay booked (the last seat is the whole registration).
        "can_cancel_seat": can_cancel and len(attendees) > 1,
        "check_in_svg": qrcodes.check_in_svg(registration) if show_code else "",
        **_money_context(registration),
    }
    return render(request, "registrations/manage.html", context)


def _money_context(registration):
    """What the person owes and has paid, and their documents (receipts, invoices, certificates)."""
    if registration.anonymized_at:
        return {"account": None, "documents": []}
    account = payments.money_of(registration)
    shown = account if (account.total or account.paid) else None
    return {"account": shown, "documents": documents.registration_documents(registration)}


@never_cache
def manage_document_view(request, value, kind, document_pk):
    """One of the person's own PDFs (receipt, invoice, attendance certificate), through their signed link."""
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    if registration.anonymized_at:
        raise Http404
    try:
        filename, content = documents.render_document(registration, kind, document_pk)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cancelled_seat_named(registration, attendee_id):
    """The attendee of this registration whose seat was just cancelled (for the page's confirmation)."""
    if not attendee_id.isdigit():
        return None
    return registration.attendees.filter(pk=int(attendee_id), cancelled_at__isnull=False).first()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_cancel_seat_view(request, value, attendee_id):
    """Cancel one person's seat of a group: a confirmation page first, then ``services.cancel_attendee``."""
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    attendee = get_object_or_404(registration.attendees, pk=attendee_id)
    manage_url = reverse("registrations:manage", args=[value])
    if attendee.cancelled_at or not registration.is_active or _has_started(registration):
        return redirect(manage_url)  # cancelled meanwhile, or too late: the page shows what is true now
    if request.method == "POST" and request.POST.get("confirmer") == "oui":
        with contextlib.suppress(services.InvalidTransition):  # a double click: the first one did it
            registration = services.cancel_attendee(attendee)
        if registration.status == RegistrationStatus.CANCELLED:
            return redirect(manage_url + "?fait=annulee")
        return redirect(manage_url + f"?fait=place-annulee&personne={attendee.pk}")
    others = registration.attendees.filter(cancelled_at__isnull=True).exclude(pk=attendee.pk).count()
    context = {
        "registration": registration,
        "event": registration.event,
        "unit": _shown_unit(registration),
        "attendee": attendee,
        "value": value,
    }
    context["last_seat"] = others == 0
    return render(request, "registrations/cancel_seat.html", context)


@never_cache
@require_POST
def manage_cancel_view(request, value):
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    done = "annulee"
    if registration.is_active and not _has_started(registration):
        outcome = services.cancellation_outcome(registration)
        # Cancelled meanwhile (double click): the page simply shows the current status.
        with contextlib.suppress(services.InvalidTransition):
            services.cancel(registration)
            done = CANCELLED_DONE[outcome]
    return redirect(reverse("registrations:manage", args=[value]) + f"?fait={done}")


ERASE_CONFIRMATION = "oui"


def _answer_view(request, value, answer, done):
    """One button of the self-service page (accept or decline an offer, confirm the address), then back to it."""
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    url = reverse("registrations:manage", args=[value])
    try:
        answer(registration)
    except services.OfferExpired:
        return redirect(url + "?erreur=delai")
    except services.InvalidTransition:
        return redirect(url)  # answered meanwhile (double click, other tab): the page shows the status
    return redirect(url + f"?fait={done}")


@never_cache
@require_POST
def manage_accept_view(request, value):
    return _answer_view(request, value, services.accept_offer, "acceptee")


@never_cache
@require_POST
def manage_decline_view(request, value):
    return _answer_view(request, value, services.decline_offer, "laissee")


@never_cache
@require_POST
def manage_verify_view(request, value):
    return _answer_view(request, value, services.verify_address, "verifiee")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_erase_view(request, value):
    """Ask once more, then erase: only a post of the confirmation page's own button erases (no JavaScript needed)."""
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    will_cancel = registration.is_active and not _has_started(registration)
    if request.method != "POST" or request.POST.get("confirmer") != ERASE_CONFIRMATION:
        context = {
            "registration": registration,
            "event": registration.event,
            "unit": _shown_unit(registration),
            "value": value,
            "will_cancel": will_cancel,
            "confirmation": ERASE_CONFIRMATION,
        }
        return render(request, "registrations/erase_confirm.html", context)
    if will_cancel:
        # After the event the registration stays in the counts (attendance, reports); only the person is erased.
        with contextlib.suppress(services.InvalidTransition):
            services.cancel(registration, notify=False)
    services.anonymize(registration)
    return render(request, "registrations/erased.html", {"event": registration.event})


@never_cache
def manage_ics_view(request, value):
    """The booked unit's calendar file; once the registration is cancelled or refused, the one that removes it.

    For a series, the booked date only (its own UID): never the whole series.

    A cancelling calendar rather than a 404: the link may sit in an old
    confirmation e-mail, and opening it then takes the entry out of the
    person's calendar instead of leaving a workshop they will not attend.
    """
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    if registration.anonymized_at:
        raise Http404
    event = registration.event
    unit = BookableUnit.of_registration(registration)
    calendar = unit_calendar_bytes(unit, request, cancel=not registration.is_active)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


# ---------------------------------------------------------------------------
# Online payment (HelloAsso Checkout): the way there, the ways back, the notifications.


def _provider():
    """The configured provider; without one, these pages do not exist (online payment is off)."""
    provider = online_payment.configured_provider()
    if provider is None:
        raise Http404
    return provider


def _checkout_urls(request, reference):
    def absolute(name):
        return request.build_absolute_uri(reverse(f"registrations:{name}", args=[reference]))

    return online_payment.CheckoutUrls(
        return_url=absolute("checkout_return"), error_url=absolute("checkout_error"), back_url=absolute("checkout_back")
    )


def _checkout_page(request, registration, *, outcome, message="", checkout=None, status=200):
    """The page of one payment attempt: paid, still being checked, failed (with a retry while the hold lasts)."""
    can_retry = registration.status == RegistrationStatus.AWAITING_PAYMENT and registration.expires_at > timezone.now()
    context = {
        "registration": registration,
        "event": registration.event,
        "unit": _shown_unit(registration),
        "outcome": outcome,
        "message": message,
        "checkout": checkout,
        "can_retry": can_retry and outcome != "paid",
        "expires_when": format_datetime(registration.expires_at) if registration.expires_at else "",
    }
    return render(request, "registrations/checkout.html", context, status=status)


def _go_to_checkout(request, registration):
    """Create the checkout and send the person to HelloAsso's page, or say in French why not (seat still held)."""
    try:
        _checkout, redirect_url = services.start_online_checkout(
            registration, _provider(), lambda reference: _checkout_urls(request, reference)
        )
    except services.RegistrationError as error:
        registration.refresh_from_db()
        attempt = registration.online_checkouts.order_by("-pk").first()  # the one that failed: retried from it
        return _checkout_page(
            request, registration, outcome="unavailable", message=error.message, checkout=attempt, status=503
        )
    return redirect(redirect_url)


def _checkout_of(reference):
    return get_object_or_404(
        OnlineCheckout.objects.select_related("registration", "registration__event", "registration__occurrence"),
        reference=reference,
    )


def _came_back(request, reference, *, failed, gave_up=False):
    checkout = _checkout_of(reference)
    provider = _provider()
    try:
        if failed:
            checkout = services.record_checkout_failure(checkout, provider, gave_up=gave_up)
        else:
            checkout = services.confirm_online_checkout(checkout, provider)
    except services.CheckoutMismatch as error:
        return _checkout_page(request, checkout.registration, outcome="mismatch", message=error.message, status=400)
    except services.RegistrationError as error:  # the provider cannot say now: the notification will
        registration = Registration.objects.select_related("event", "occurrence").get(pk=checkout.registration_id)
        return _checkout_page(request, registration, outcome="checking", message=error.message, checkout=checkout)
    registration = Registration.objects.select_related("event", "occurrence").get(pk=checkout.registration_id)
    if checkout.state == CheckoutState.PAID:
        outcome = "paid"
    elif failed:
        outcome = "failed"
    else:
        outcome = "checking"
    return _checkout_page(request, registration, outcome=outcome, checkout=checkout)


@never_cache
@require_http_methods(["GET", "HEAD"])
def checkout_return_view(request, reference):
    """HelloAsso's ``returnUrl``: the API says whether it is paid (the query string is never trusted)."""
    return _came_back(request, reference, failed=False)


@never_cache
@require_http_methods(["GET", "HEAD"])
def checkout_error_view(request, reference):
    """HelloAsso's ``errorUrl``: nothing charged (the API says so), a retry while the seat is held."""
    return _came_back(request, reference, failed=True)


@never_cache
@require_http_methods(["GET", "HEAD"])
def checkout_back_view(request, reference):
    """HelloAsso's ``backUrl`` (the person left its page without paying): as an error, said gently."""
    return _came_back(request, reference, failed=True, gave_up=True)


@never_cache
@require_POST
def checkout_retry_view(request, reference):
    """« Réessayer le paiement »: a new checkout for the same registration, while its seat is held."""
    checkout = _checkout_of(reference)
    registration = checkout.registration
    if registration.status != RegistrationStatus.AWAITING_PAYMENT or registration.expires_at <= timezone.now():
        message = services.PAYMENT_EXPIRED_MESSAGE if registration.status == RegistrationStatus.AWAITING_PAYMENT else ""
        return _checkout_page(request, registration, outcome="closed", message=message, checkout=checkout)
    return _go_to_checkout(request, registration)


@never_cache
@require_POST
def manage_pay_view(request, value):
    """« Payer en ligne » on the self-service page, while the seat is held for the payment."""
    registration, refusal = _registration_from_link(request, value)
    if refusal:
        return refusal
    _release_if_lapsed(registration)
    if registration.status != RegistrationStatus.AWAITING_PAYMENT:
        return redirect(reverse("registrations:manage", args=[value]))
    return _go_to_checkout(request, registration)


@csrf_exempt
@require_POST
def checkout_notification_view(request):
    """HelloAsso's notifications: signature checked when configured, then the checkout fetched from the API.

    The body only names the checkout (our reference in its metadata); what
    is recorded comes from the API's answer (``services.confirm_online_checkout``).
    A forged notification is refused (403 bad signature, 400 unknown or not
    matching) and changes nothing; one about another campaign is acknowledged.
    """
    provider = _provider()
    try:
        notification = provider.parse_notification(request.body, request.headers)
    except online_payment.ForgedNotification as error:
        logger.warning("Online payment notification refused: %s", error.reason)
        return HttpResponse(status=error.status)
    if notification is None:
        return HttpResponse("ignorée", content_type="text/plain")
    checkout = OnlineCheckout.objects.filter(reference=notification.reference).first()
    if checkout is None:
        logger.warning("Online payment notification for an unknown checkout")
        return HttpResponse(status=400)
    try:
        services.confirm_online_checkout(checkout, provider)
    except services.CheckoutMismatch:
        logger.warning("Online payment notification not matching checkout %s", checkout.pk)
        return HttpResponse(status=400)
    except services.RegistrationError:
        return HttpResponse(status=503)  # the API could not be asked: the notification may come again
    return HttpResponse("ok", content_type="text/plain")
