"""What a worker may keep between two publications: facts read once per generation of the page cache.

Some facts every public page reads change only when something is published or
saved: the site's settings (footer, social image), which pages are private.
The page cache's *generation* (``config/cache.py``) moves exactly then. The
middleware that knows the generation (``config.routing.RouteMemoMiddleware``)
opens this memo for the length of one anonymous-or-not GET request with
``serving(generation)``; inside it, ``remember(key, compute)`` computes a
fact once per generation and worker. Outside a request (commands, e-mails,
the admin's POSTs) or when the cache is down (no generation), ``remember``
simply computes: nothing is kept that nobody could invalidate.

The memo sits in ``core`` so that every app can use it without importing the
page cache. It holds only the current generation's facts.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

# The generation of the request being served (None: not serving, or the cache is down).
_serving = ContextVar("generation_memo_serving", default=None)
# (generation, its facts): replaced as one object, so that a thread never pairs a generation with another's facts.
_facts = (None, {})
MAX_FACTS = 500
# What also follows the clock (which events are still upcoming) is kept for one such period at most, as long as the
# page cache keeps a page (PAGE_CACHE_SECONDS' default) and the {% clockcache %} fragments.
CLOCK_SECONDS = 300


@contextmanager
def serving(generation):
    """Let ``remember`` keep facts for ``generation`` while a request is served."""
    global _facts
    if generation is None:
        yield
        return
    if _facts[0] != generation:
        _facts = (generation, {})
    token = _serving.set(generation)
    try:
        yield
    finally:
        _serving.reset(token)


def _current_values():
    """This generation's facts while a request is served, else None (nothing may be kept)."""
    generation = _serving.get()
    kept_generation, values = _facts
    if generation is None or generation != kept_generation:
        return None
    return values


def kept(key, default=None):
    """The fact kept under ``key`` for this generation, or ``default``."""
    values = _current_values()
    return default if values is None else values.get(key, default)


def keep(key, value):
    """Keep ``value`` under ``key`` for this generation (nothing outside a served request)."""
    values = _current_values()
    if values is not None:
        if len(values) >= MAX_FACTS:
            values.clear()
        values[key] = value


def remember(key, compute):
    """``compute()``, read once per generation while serving a request; computed each time otherwise."""
    values = _current_values()
    if values is not None and key in values:
        return values[key]
    value = compute()
    keep(key, value)
    return value


def clock_key(key):
    """``key`` for a fact that also changes with the clock: it names the current ``CLOCK_SECONDS`` period."""
    return (key, int(time.time() // CLOCK_SECONDS))


def remember_for_a_while(key, compute):
    """As ``remember``, for a fact that also changes with the clock: kept ``CLOCK_SECONDS`` at most."""
    return remember(clock_key(key), compute)


def forget():
    """Drop every fact (tests that change data without a publication)."""
    global _facts
    _facts = (None, {})
