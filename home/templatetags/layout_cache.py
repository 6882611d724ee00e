"""``{% layoutcache name vary… %}``: a cached layout fragment that never breaks a page.

``{% clockcache name vary… %}`` is the same for content that also depends on the
clock (the next dates of a series, upcoming events of a category): it lives
``CLOCK_CACHE_SECONDS``, the page cache's own lifetime, so it is never staler
than a cached page would be.

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

logger = logging.getLogger(__name__)
register = template.Library()

# Long enough to serve many pages; the generation in the key makes it fresh anyway.
LAYOUT_CACHE_SECONDS = 3600
# As PAGE_CACHE_SECONDS' default: what the clock changes (an upcoming date passing) shows within five minutes.
CLOCK_CACHE_SECONDS = 300


class LayoutCacheNode(WagtailCacheNode):
    def render(self, context):
        try:
            return super().render(context)
        except Exception:  # the cache failed (a template error would fail again below, and be raised)
            logger.warning("Layout fragment cache unavailable", exc_info=True)
            return self.nodelist.render(context)


def cached_fragment(parser, token, end, lifetime):
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
    )


@register.tag("layoutcache")
def layoutcache(parser, token):
    return cached_fragment(parser, token, "endlayoutcache", LAYOUT_CACHE_SECONDS)


@register.tag("clockcache")
def clockcache(parser, token):
    return cached_fragment(parser, token, "endclockcache", CLOCK_CACHE_SECONDS)
