"""Views of the home app that live outside the page tree."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """Let crawlers index the public site, not the admin, and point them to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /recherche/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def site_plan(request):
    """The site plan for people (the XML sitemap stays for robots): sections and their pages.

    Listings of dated pages (agenda, news) are linked, not unrolled: their models say so with
    ``site_plan_lists_children = False``.
    """
    site = Site.find_for_request(request)
    sections = []
    if site is not None:
        root = site.root_page
        pages = Page.objects.descendant_of(root).live().public().filter(depth__lte=root.depth + 2)
        pages = list(pages.order_by("path").specific())
        by_parent = {}
        for page in pages:
            if page.depth == root.depth + 2:
                by_parent.setdefault(page.path[: -Page.steplen], []).append(page)
        for page in pages:
            if page.depth == root.depth + 1:
                children = by_parent.get(page.path, []) if getattr(page, "site_plan_lists_children", True) else []
                sections.append({"page": page, "children": children})
    home = site.root_page if site is not None else None
    return TemplateResponse(request, "home/site_plan.html", {"home": home, "sections": sections})
