"""What a response shows, so that the page cache purges only the pages a change concerns.

The code that decides what a page shows (the agenda's listing, the home page's
upcoming events, the seats-left tags, the calendar feeds) marks the request:
"this response shows event N". The page cache (``config/cache.py``) stores
those tags with the page and serves it only while none of them was purged.
This module is at the bottom of the layers so that every app can mark a
request without importing the page cache.
"""

ATTRIBUTE = "_page_cache_tags"


def event_tag(event_id):
    """The tag of one bookable event: purged when its seats change."""
    return f"event:{event_id}"


def mark_events_shown(request, events):
    """Record that this response shows these events (pages or ids); no-op without a request (e-mails, PDFs)."""
    if request is None:
        return
    tags = getattr(request, ATTRIBUTE, None)
    if tags is None:
        tags = set()
        setattr(request, ATTRIBUTE, tags)
    tags.update(event_tag(getattr(event, "pk", event)) for event in events)


def tags_shown(request):
    """The tags recorded on this request, sorted (empty when the page shows no event)."""
    return sorted(getattr(request, ATTRIBUTE, ()))
