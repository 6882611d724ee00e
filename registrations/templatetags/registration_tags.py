"""What event pages show of registrations: the seats left and the way to register.

The agenda does not count seats: its templates ask these tags, so that the
registrations app depends on the agenda and never the other way round. Both
mark the request as showing the event, so that the page cache purges the page
when the event's seats change (``core.page_tags``).
"""

import logging
import re
import secrets

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import generation_memo
from core.page_tags import event_versions, mark_events_shown, purge_sequence
from registrations.services import availabilities, availability, series_dates

logger = logging.getLogger(__name__)
register = template.Library()

BADGE_TEMPLATE = "registrations/includes/seats_badge.html"
KEPT_LISTING = "_kept_listing"
# Where a kept listing fills in a card's seats: a random word per process, which no content can hold.
SEAT_MARK_START = f"<!--seats-{secrets.token_hex(8)}-"
SEAT_MARK = SEAT_MARK_START + "{pk}-->"
SEAT_MARK_PATTERN = re.compile(re.escape(SEAT_MARK_START) + r"(\d+)-->")

# The registration box lists this many dates of a series; the form's own page lists them all.
BOX_DATES = 8


@register.simple_tag(takes_context=True)
def event_availability(context, page):
    """The registration state of an event for this request (one query), shared by the box and the JSON-LD."""
    mark_events_shown(context.get("request"), [page])
    return availability(page)


@register.inclusion_tag("registrations/includes/registration_box.html", takes_context=True)
def registration_box(context, page, current=None):
    """Availability and call to action for one event page (the form itself lives on its own page).

    ``current``: the availability the page already read for this request, if any.
    A series lists its dates to come, each with its seats badge and its own
    link to the form (``series_dates``: two queries however many dates).
    """
    mark_events_shown(context.get("request"), [page])
    state = current or availability(page)
    dates = series_dates(page, limit=BOX_DATES + 1) if state.state == "dates" else []
    return {"page": page, "availability": state, "dates": dates[:BOX_DATES], "more_dates": len(dates) > BOX_DATES}


@register.simple_tag
def events_availability(events):
    """The registration state of every event of a listing, ``{pk: Availability}``, with one query for all seats."""
    return availabilities(events)


def seats_badge_label(state):
    """The few words an agenda card shows about seats, or "" when there is nothing to register for."""
    if state.state == "open":
        if state.seats_remaining is None:
            return _("Sur inscription")
        return ngettext("%(count)d place", "%(count)d places", state.seats_remaining) % {"count": state.seats_remaining}
    if state.state == "full_waitlist":
        return _("Liste d'attente")
    if state.state == "full" or (state.state == "closed" and state.seats_remaining == 0):
        return _("Complet")
    return ""


@register.filter
def date_badge(state):
    """The badge of one date of a series: its seats, « Complet », « Liste d'attente », « Annulée » or why closed."""
    if state.state == "cancelled_event":
        return _("Annulée")
    if state.state == "not_yet_open":
        return _("Bientôt ouverte")
    return seats_badge_label(state) or (_("Inscriptions closes") if state.state == "closed" else "")


def seats_badge_html(state):
    return get_template(BADGE_TEMPLATE).render(
        {"label": seats_badge_label(state) if state else "", "state": state.state if state else ""}
    )


@register.simple_tag(takes_context=True)
def seats_badge(context, event, states):
    """The seats badge of one agenda card, read from ``events_availability`` (no query of its own).

    Inside ``{% keptlisting %}`` it leaves a mark that the listing fills with the seats of this request.
    """
    if context.get(KEPT_LISTING):
        return mark_safe(SEAT_MARK.format(pk=int(event.pk)))  # noqa: S308 - a fixed mark and a number
    return seats_badge_html(states.get(event.pk))


class KeptListingNode(template.Node):
    """``{% keptlisting events vary… %}…{% endkeptlisting %}``: a listing of events built once, seats read each time.

    What a listing shows of its events (titles, dates, pictures, filters,
    pagination) changes with a publication, with the clock, or when a date of
    one of them is cancelled or moved; their seats change with every
    registration. The block is rendered once per generation, clock period
    (``core.generation_memo.clock_key``) and ``vary`` values, with a mark where
    each card's seats badge goes, and kept in this worker's memory with its
    events and their tags' counters (``core.page_tags.event_versions``). Each
    request checks the counters (one cache read: a change of any of these
    events rebuilds the block), reads the seats of the kept events in one query
    and fills the marks. The events are marked as shown for the page cache's
    keyed purges. Previews are always built afresh.
    """

    def __init__(self, nodelist, events, vary):
        self.nodelist, self.events, self.vary = nodelist, events, vary

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            html, events = self.build(context)
            return self.fill(request, html, events)
        key = generation_memo.clock_key(("kept-listing", *(str(value.resolve(context)) for value in self.vary)))
        try:
            found = generation_memo.kept(key)
            if found is not None and event_versions(found[1]) == found[2]:
                return self.fill(request, found[0], found[1])
            sequence = purge_sequence()
        except Exception:  # the cache is down: build it as if nothing were kept
            logger.warning("Kept listing unavailable", exc_info=True)
            return self.fill(request, *self.build(context))
        html, events = self.build(context)
        versions = event_versions(events)
        if versions[1] == sequence:  # no purge started while it was built: it shows the events as they are
            generation_memo.keep(key, (html, events, versions))
        return self.fill(request, html, events)

    def build(self, context):
        events = list(self.events.resolve(context) or ())
        with context.push({KEPT_LISTING: True}):
            return self.nodelist.render(context), events

    @staticmethod
    def fill(request, html, events):
        mark_events_shown(request, events)
        if SEAT_MARK_START not in html:
            return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped it
        states = availabilities(events)
        filled = SEAT_MARK_PATTERN.sub(lambda found: seats_badge_html(states.get(int(found[1]))), html)
        return mark_safe(filled)  # noqa: S308 - the template's escaped output and rendered badges


def kept_block(node_class, what):
    """The parser of a ``{% kept… subject vary… %}…{% endkept… %}`` block tag, ``what`` naming its subject."""

    def parse(parser, token):
        bits = token.split_contents()
        if len(bits) < 2:
            raise template.TemplateSyntaxError(f"'{bits[0]}' needs {what}, then what it varies on.")
        nodelist = parser.parse((f"end{bits[0]}",))
        parser.delete_first_token()
        return node_class(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])

    return parse


register.tag("keptlisting", kept_block(KeptListingNode, "the listed events"))


# Where a kept registration form takes this request's CSRF token and start time: random words per process.
FORM_MARK = secrets.token_hex(16)
CSRF_MARK = f"csrf-{FORM_MARK}"
STARTED_MARK = f"started-{FORM_MARK}"


class KeptFormNode(template.Node):
    """``{% keptform form vary… %}<form>…</form>{% endkeptform %}``: an empty form rendered once per generation.

    An empty registration form is the same for every visitor between two
    publications (its fields come from the event's tiers and questions) but for
    two values: the CSRF token and the signed, single-use start time
    (``tokens.make_form_started``). Rendering its widgets is most of the form
    page's cost, so the block is rendered once per generation and ``vary``
    values, kept in this worker (``core.generation_memo``) with a mark where
    each value was, and filled with this request's values. A bound form (errors
    to show, answers to keep) is always rendered, so is a preview; without the
    cache nothing is kept.
    """

    def __init__(self, nodelist, form, vary):
        self.nodelist, self.form, self.vary = nodelist, form, vary

    def render(self, context):
        request = context.get("request")
        form = self.form.resolve(context)
        if request is None or form is None or form.is_bound or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        csrf_token = str(context.get("csrf_token") or "")
        started = str(form["started"].value() or "")
        # The fields' names too: a form whose fields differ (another tier, a question less) is another form.
        key = ("kept-form", *(str(value.resolve(context)) for value in self.vary), *form.fields)
        kept = generation_memo.kept(key)
        if kept is not None and csrf_token and started:
            return mark_safe(kept.replace(CSRF_MARK, csrf_token).replace(STARTED_MARK, started))  # noqa: S308
        html = self.nodelist.render(context)
        # Kept only when each value stands once in the form, so that filling the marks gives this very page.
        if csrf_token and started and html.count(csrf_token) == 1 and html.count(started) == 1:
            generation_memo.keep(key, html.replace(csrf_token, CSRF_MARK).replace(started, STARTED_MARK))
        return html


register.tag("keptform", kept_block(KeptFormNode, "the form"))
