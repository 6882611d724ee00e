"""Site navigation: main menu, breadcrumbs and footer, read from the site settings."""

from django import template
from wagtail.models import Page

from home.models import SiteSettings

register = template.Library()


def _site_settings(context):
    request = context.get("request")
    if request is None:
        return None
    return SiteSettings.for_request(request)


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The menu entries the staff ordered in the site settings, skipping unpublished pages."""
    site_settings = _site_settings(context)
    items = []
    if site_settings is not None:
        items = [
            item
            for item in site_settings.menu_items.select_related("link_page").order_by("sort_order")
            if item.link_page.live
        ]
    current = context.get("page")
    current_path = current.url_path if isinstance(current, Page) else ""
    entries = [
        {
            "text": item.text,
            "url": item.link_page.get_url(context.get("request")),
            "active": bool(current_path) and current_path.startswith(item.link_page.url_path),
            "current": bool(current_path) and current_path == item.link_page.url_path,
        }
        for item in items
    ]
    return {"entries": entries}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Links from the home page down to the current page (nothing on the home page itself)."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"ancestors": [], "page": page}
    ancestors = page.get_ancestors().filter(depth__gte=2).live()
    return {"ancestors": ancestors, "page": page, "request": context.get("request")}
