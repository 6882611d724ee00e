"""iCalendar (RFC 5545) for the agenda: one event, the whole agenda, one category.

Pure functions that build ``icalendar.Calendar`` objects; the views only serve
them. UIDs never change for an event (``event-<page id>@<domain>``) and
SEQUENCE rises when its times or status change, so calendar apps update the
event they already have instead of adding a second one.

A series is one VEVENT per date (``Occurrence``, UID ``occurrence-<id>@<domain>``),
not one VEVENT with RRULE/EXDATE and RECURRENCE-ID overrides. Chosen because:

- each date is a bookable unit: a registrant's calendar holds exactly the dates
  they booked, under the same UID as in the feeds, and a cancellation (METHOD:CANCEL)
  removes that date only; with an RRULE it would need a master event they did
  not book, or a RECURRENCE-ID instance without its master, which calendar apps
  handle badly;
- a moved or cancelled date is an ordinary update of its own VEVENT
  (SEQUENCE, STATUS:CANCELLED), which every calendar app applies, where
  RECURRENCE-ID overrides and EXDATE are applied unevenly (and differently
  after the rule itself changes);
- the holidays and the editor's exceptions are already applied: the dates are
  exactly those of the agenda, and a feed never grows beyond ``MAX_DATES`` a series.
Cancelled dates stay in the feed with STATUS:CANCELLED (and « ANNULÉ : » in the
title), so that subscribed calendars strike them out instead of keeping a stale copy.

Every text written is cleaned on the way out (``core.text``), whatever the
editors typed before their forms cleaned it: a line break in a title used to
make the library refuse the whole calendar (a 500, and every confirmation
e-mail of the event failing), and controls or bidi characters have no place in
a calendar either.
"""

from datetime import date, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration
from wagtail.models import Site

from core.dates import event_local_days, to_local
from core.text import clean_line, clean_text
from home.models import SiteSettings

PRODID = "-//La Coursive Boutaric//Agenda//FR"
# A fixed domain rather than the request's host: UIDs must stay the same
# whichever address (staging, production, e-mail) the calendar came from.
UID_DOMAIN = getattr(settings, "EVENTS_ICAL_UID_DOMAIN", "lacoursiveboutaric.fr")
# Subscribed calendar apps refresh this often.
FEED_REFRESH = timedelta(hours=6)

STATUS_BY_EVENT_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def event_uid(page):
    return f"event-{page.pk}@{UID_DOMAIN}"


def occurrence_uid(occurrence):
    """One UID per date of a series, the same in the feeds and in a registrant's calendar."""
    return f"occurrence-{occurrence.pk}@{UID_DOMAIN}"


def session_uid(session):
    """One UID per session of a course, the same in the feeds, the event's .ics and a registrant's."""
    return f"session-{session.pk}@{UID_DOMAIN}"


def absolute_url(page, request=None):
    return page.get_full_url(request=request) or ""


def event_description(page, url):
    """Plain text: the summary, the access conditions and the link to the page."""
    parts = [clean_text(strip_tags(page.summary or ""))]
    if page.access_and_price:
        parts.append(_("Accès : %(access)s") % {"access": clean_line(page.access_and_price)})
    if url:
        parts.append(url)
    return "\n\n".join(part for part in parts if part)


def association_contact(site=None):
    """Name and e-mail of the association: who organises an event when no partner is named.

    The public address of the site settings, else the address the site sends from.
    """
    default_name, default_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if site is None:
        return default_name, default_email
    email = SiteSettings.for_site(site).email
    return site.site_name or default_name, email or default_email


def _site_of(pages, request):
    if request is not None:
        return Site.find_for_request(request)
    return pages[0].get_site() if pages else None


def build_organizer(page, association):
    """ORGANIZER: the organising partner (or the association), reachable at the event's contact e-mail.

    RFC 5545 wants a CAL-ADDRESS, so the mailto: falls back to the association's address.
    """
    association_name, association_email = association
    organisers = [link.partner.name for link in page.event_partners.all() if link.role == "organiser"]
    organizer = vCalAddress(f"mailto:{clean_line(page.contact_email or association_email)}")
    organizer.params["CN"] = clean_line(organisers[0] if organisers else association_name)
    return organizer


def build_event(page, request=None, stamp=None, association=None, cancelled=False, occurrence=None):
    """One VEVENT for an event page; ``cancelled`` marks it CANCELLED whatever the event's own status.

    With ``occurrence`` (one date of a series), the VEVENT is that date's: its
    own UID (``occurrence_uid``), times, venue and status; its SEQUENCE adds the
    date's changes to the series' (both only rise).
    """
    url = absolute_url(page, request)
    event = Event()
    if occurrence is None:
        start, end, venue, status = page.start, page.end, page.venue if page.venue_id else None, page.status
        event.add("uid", event_uid(page))
        event.add("sequence", page.ical_sequence)
    else:
        start, end, venue = occurrence.start, occurrence.end, occurrence.effective_venue
        status = "cancelled" if occurrence.is_cancelled else page.status
        event.add("uid", occurrence_uid(occurrence))
        event.add("sequence", page.ical_sequence + occurrence.ical_sequence)
    event.add("dtstamp", stamp or timezone.now())
    summary = clean_line(page.title)
    if status == "cancelled":
        summary = _("ANNULÉ : %(title)s") % {"title": summary}
    event.add("summary", summary)
    if page.all_day:
        # All-day events are DATE values; DTEND is the day after the last day (exclusive).
        first_day, last_day = event_local_days(start, end)
        event.add("dtstart", first_day)
        event.add("dtend", last_day + timedelta(days=1))
    else:
        event.add("dtstart", to_local(start))
        if end:
            event.add("dtend", to_local(end))
    description = event_description(page, url)
    if description:
        event.add("description", description)
    if venue:
        event.add("location", clean_line(venue.full_address))
        if venue.latitude is not None and venue.longitude is not None:
            event.add("geo", (float(venue.latitude), float(venue.longitude)))
    if url:
        event.add("url", url)
    event.add("organizer", build_organizer(page, association or association_contact()))
    if page.category_id and page.category:
        event.add("categories", [clean_line(page.category.name)])
    event.add("status", "CANCELLED" if cancelled else STATUS_BY_EVENT_STATUS.get(status, "CONFIRMED"))
    # All-day events (exhibitions…) should not mark whole days as busy.
    event.add("transp", "TRANSPARENT" if page.all_day else "OPAQUE")
    if page.last_published_at:
        event.add("last-modified", page.last_published_at)
    if page.first_published_at:
        event.add("created", page.first_published_at)
    return event


def build_session_event(page, session, number, **options):
    """One session of a course as its own VEVENT: the course's VEVENT (``build_event``) with the session's
    UID (``session_uid``), title, times and place; SEQUENCE is the course's, raised when a session changes.
    """
    event = build_event(page, **options)
    for name in ("uid", "summary", "dtstart", "dtend", "location", "geo"):
        event.pop(name, None)
    event.add("uid", session_uid(session))
    summary = _("%(title)s — séance %(number)d") % {"title": clean_line(page.title), "number": number}
    if session.title:
        summary = f"{summary} : {clean_line(session.title)}"
    if page.status == "cancelled":
        summary = _("ANNULÉ : %(title)s") % {"title": summary}
    event.add("summary", summary)
    event.add("dtstart", to_local(session.start))
    if session.end:
        event.add("dtend", to_local(session.end))
    venue = session.venue if session.venue_id else page.venue if page.venue_id else None
    if venue:
        event.add("location", clean_line(venue.full_address))
        if venue.latitude is not None and venue.longitude is not None:
            event.add("geo", (float(venue.latitude), float(venue.longitude)))
    return event


def page_components(page, **options):
    """The VEVENTs of one event page: one per session for a course, else the event's own."""
    if page.is_course and page.course_sessions:
        return [
            build_session_event(page, session, number, **options)
            for number, session in enumerate(page.course_sessions, 1)
        ]
    return [build_event(page, **options)]


def build_calendar(pages, name, request=None, description=None, method="PUBLISH"):
    """A VCALENDAR holding the given events, with the Europe/Paris VTIMEZONE they refer to.

    ``method="CANCEL"`` (RFC 5546) tells the calendar app to remove the events
    it holds under the same UIDs; each VEVENT then says STATUS:CANCELLED.
    """
    cancelled = method == "CANCEL"
    calendar = _new_calendar(name, description=description, method=method)
    stamp = timezone.now()
    pages = list(pages)
    association = association_contact(_site_of(pages, request))
    for page in pages:
        options = {"request": request, "stamp": stamp, "association": association, "cancelled": cancelled}
        if page.is_series:
            for occurrence in series_dates(page):
                calendar.add_component(build_event(page, occurrence=occurrence, **options))
            continue
        for component in page_components(page, **options):
            calendar.add_component(component)
    _add_timezone(calendar, pages)
    return calendar


def series_dates(page):
    """The dates of a series a calendar holds: those the feed prefetched (``feed_occurrences``), else all."""
    dates = getattr(page, "feed_occurrences", None)
    if dates is None:
        dates = page.occurrences.select_related("venue").order_by("start", "pk")
    return dates


def _new_calendar(name, description=None, method="PUBLISH"):
    """An empty VCALENDAR with our headers (name, time zone, refresh interval)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    name = clean_line(name)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if description:
        calendar.add("x-wr-caldesc", clean_text(description))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    return calendar


def _add_timezone(calendar, pages):
    """Add the VTIMEZONE, covering only the years the events need (smaller files)."""
    timed = [page for page in pages if not page.all_day]
    if not timed:
        return
    first = min(to_local(page.start).date() for page in timed)
    last = max(to_local(page.end or page.start).date() for page in timed)
    calendar.add_missing_timezones(
        first_date=date(first.year - 1, 1, 1),
        last_date=date(last.year + 2, 1, 1),
    )


def occurrence_calendar(occurrence, request=None, cancel=False):
    """The calendar of one date of a series (a registrant's download, e-mail attachment): that date only."""
    page = occurrence.event
    calendar = _new_calendar(page.title, method="CANCEL" if cancel else "PUBLISH")
    association = association_contact(_site_of([page], request))
    calendar.add_component(
        build_event(page, request=request, association=association, cancelled=cancel, occurrence=occurrence)
    )
    if not page.all_day:
        year = to_local(occurrence.start).year
        calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar


def event_calendar(page, request=None, cancel=False):
    """The calendar of a single event (download, e-mail attachment).

    ``cancel=True`` builds the one that removes it from a person's calendar
    (their registration ended, or the event is cancelled): same UID, the
    event's current SEQUENCE, METHOD:CANCEL. Equal to the last SEQUENCE the
    person received, which calendar apps accept for a cancellation, so that a
    later registration's confirmation (same UID, same SEQUENCE) is not taken
    for an older version.
    """
    return build_calendar([page], name=page.title, request=request, method="CANCEL" if cancel else "PUBLISH")


def event_calendar_bytes(page, request=None, cancel=False):
    """The single-event calendar as bytes, e.g. to attach to a confirmation or cancellation e-mail."""
    return event_calendar(page, request=request, cancel=cancel).to_ical()


def agenda_calendar(events, site_name, category=None, request=None):
    """The subscribable feed of the agenda, or of one of its categories."""
    if category is None:
        name = _("Agenda — %(site)s") % {"site": site_name}
    else:
        name = _("%(category)s — %(site)s") % {"category": category.name, "site": site_name}
    return build_calendar(events, name=name, request=request)
