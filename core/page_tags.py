"""What a response shows, so that the page cache purges only the pages a change concerns.

The code that decides what a page shows (the agenda's listing, the home page's
upcoming events, the seats-left tags, the calendar feeds) marks the request:
"this response shows event N". The page cache (``config/cache.py``) stores
those tags with the page and serves it only while none of them was purged.
This module is at the bottom of the layers so that every app can mark a
request without importing the page cache.
"""

import time

from django.core.cache import cache

ATTRIBUTE = "_page_cache_tags"
# The page cache's counters (config/cache.py): one per tag, bumped when the tag is purged, and the sequence,
# bumped before any tag purge starts. Kept listings (registrations' {% keptlisting %}) read them too.
TAG_PREFIX = "pagecache:tag:"
SEQUENCE_KEY = "pagecache:tag-sequence"


def event_tag(event_id):
    """The tag of one bookable event: purged when its seats change."""
    return f"event:{event_id}"


def tag_key(tag):
    return f"{TAG_PREFIX}{tag}"


def purge_sequence():
    """The purge sequence now (created if missing): a purge that starts from now on moves it."""
    sequence = cache.get(SEQUENCE_KEY)
    if sequence is None:
        cache.add(SEQUENCE_KEY, time.time_ns(), timeout=None)
        sequence = cache.get(SEQUENCE_KEY)
    return sequence


def read_tag_counters(tags):
    """({tag: counter}, purge sequence), read together in one ``get_many``; missing counters are created.

    The counters are read before the sequence (``get_many`` reads in order, atomically on
    Redis), so a counter bumped after the sequence was read cannot slip in; a created
    counter is read again with the sequence for the same reason. A counter the cache
    would not keep (Redis down) is absent from the dict.
    """
    keys = [tag_key(tag) for tag in tags]
    found = cache.get_many([*keys, SEQUENCE_KEY])
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        found.update(cache.get_many([*missing, SEQUENCE_KEY]))
    counters = {tag: found[key] for tag, key in zip(tags, keys, strict=True) if key in found}
    return counters, found.get(SEQUENCE_KEY)


def event_versions(events):
    """(counters of these events' tags, purge sequence): what was built from these events is still
    right while both are unchanged (a purge moves the sequence first, then the counters of its tags)."""
    tags = [event_tag(getattr(event, "pk", event)) for event in events]
    counters, sequence = read_tag_counters(tags)
    return tuple(counters.get(tag) for tag in tags), sequence


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
