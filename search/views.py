"""Site search: every live public page, with the editors' promoted results first."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

RESULTS_PER_PAGE = 10


def search(request):
    search_query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    promotions = []
    if search_query:
        results = Page.objects.live().public().specific().search(search_query)
        query = Query.get(search_query)
        query.add_hit()
        promotions = [
            pick for pick in query.editors_picks.select_related("page").order_by("sort_order") if _is_visible(pick)
        ]
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": search_query, "results": page_obj, "promotions": promotions},
    )


def _is_visible(pick):
    """External promotions always show; page promotions only while the page is live."""
    return pick.page is None or pick.page.live
