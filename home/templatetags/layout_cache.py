"""``{% layoutcache name vary… %}``: a cached layout fragment that never breaks a page.

``{% clockcache name vary… %}`` is the same for content that also depends on the
clock (the next dates of a series, upcoming events of a category): it is kept
in the worker for one ``CLOCK_CACHE_SECONDS`` period at most, the page cache's
own lifetime, so it is never staler than a cached page would be.

Both are kept first in the worker's memory for the generation
(``core/generation_memo.py``): no cache round trip per fragment.

Wagtail's ``{% wagtailcache %}`` (skipped in previews) with a fixed lifetime, and
rendered uncached when the cache itself fails: a cache that raises instead of
answering like a miss must cost the fragment's queries, never the page.
The vary-on values name what the fragment depends on; the site's layout passes
``layout_generation`` (config/context_processors.py), which moves whenever a
page is published or a setting saved.
"""

import logging

from django import template
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from core import generation_memo

logger = logging.getLogger(__name__)
register = template.Library()

# Long enough to serve many pages; the generation in the key makes it fresh anyway.
LAYOUT_CACHE_SECONDS = 3600
# As PAGE_CACHE_SECONDS' default: what the clock changes (an upcoming date passing) shows within five minutes.
CLOCK_CACHE_SECONDS = 300


class LayoutCacheNode(WagtailCacheNode):
    """Kept first in this worker's memory for the generation (``core/generation_memo.py``), then in the cache.

    The worker's copy spares a cache round trip per fragment on every page; the
    shared cache still serves the other workers. A fragment that follows the
    clock is kept only in the worker, for one clock period at most (so never
    staler than that, which a copy taken from the shared cache could be).
    """

    def __init__(self, *args, follows_clock=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.follows_clock = follows_clock

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.render_shared(context)
        key = ("fragment", self.fragment_name, *(str(value.resolve(context)) for value in self.vary_on))
        if self.follows_clock:
            key = generation_memo.clock_key(key)
        html = generation_memo.kept(key)
        if html is None:
            html = self.nodelist.render(context) if self.follows_clock else self.render_shared(context)
            generation_memo.keep(key, html)
        return html

    def render_shared(self, context):
        try:
            return super().render(context)
        except Exception:  # the cache failed (a template error would fail again below, and be raised)
            logger.warning("Layout fragment cache unavailable", exc_info=True)
            return self.nodelist.render(context)


def cached_fragment(parser, token, end, lifetime, follows_clock=False):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name.")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return LayoutCacheNode(
        nodelist,
        parser.compile_filter(str(lifetime)),
        bits[1].strip("\"'"),
        [parser.compile_filter(bit) for bit in bits[2:]],
        None,
        follows_clock=follows_clock,
    )


@register.tag("layoutcache")
def layoutcache(parser, token):
    return cached_fragment(parser, token, "endlayoutcache", LAYOUT_CACHE_SECONDS)


@register.tag("clockcache")
def clockcache(parser, token):
    return cached_fragment(parser, token, "endclockcache", CLOCK_CACHE_SECONDS, follows_clock=True)
