"""Page querysets whose ``public()`` reads the private sections once per generation, not once per call.

Wagtail's ``PageQuerySet.public()`` queries every view restriction each time it
is called: the home page calls it four times, the agenda twice. Restrictions
change only when one is saved or deleted, which moves the page cache's
generation (``config/cache.py``), so the private sections are a fact of the
generation (``core/generation_memo.py``). Outside a served request they are
read each time, as Wagtail does.
"""

from django.db.models import Q
from wagtail.models import PageManager, PageQuerySet, PageViewRestriction

from core import generation_memo


def private_sections():
    """(path, depth) of every page with a view restriction: its subtree is private."""

    def read():
        return tuple(PageViewRestriction.objects.values_list("page__path", "page__depth").distinct())

    return generation_memo.remember("private-sections", read)


def is_public(page):
    """True unless the page lies in a private section (what ``public()`` filters, for a page already read)."""
    return not any(page.path.startswith(path) and page.depth >= depth for path, depth in private_sections())


class RememberedPublicQuerySet(PageQuerySet):
    def private_q(self):
        q = Q()
        for path, depth in private_sections():
            q |= Q(path__startswith=path, depth__gte=depth)
        return q if q else Q(pk__in=[])  # as Wagtail: no private section matches no page


RememberedPublicPageManager = PageManager.from_queryset(RememberedPublicQuerySet)
