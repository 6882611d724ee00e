"""Small helpers for templates: social image, page links kept with the querystring."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core.dates import format_date
from home.models import SiteSettings

register = template.Library()

SOCIAL_IMAGE_FIELDS = ("image", "hero_image", "logo")


@register.simple_tag(takes_context=True)
def social_image(context, page=None):
    """The image shared on social networks: the page's own image, else the site default."""
    for field in SOCIAL_IMAGE_FIELDS:
        image = getattr(page, field, None) if page is not None else None
        if image is not None and hasattr(image, "get_rendition"):
            return image
    request = context.get("request")
    if request is None:
        return None
    return SiteSettings.for_request(request).default_social_image


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current querystring with another page number (keeps search terms)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


DESCRIPTION_FIELDS = ("search_description", "summary", "introduction", "tagline")


@register.simple_tag
def meta_description(page):
    """The first non-empty description of the page, as plain text of at most 200 characters."""
    for field in DESCRIPTION_FIELDS:
        value = getattr(page, field, "") if page is not None else ""
        text = strip_tags(str(value or "")).strip()
        if text:
            return Truncator(" ".join(text.split())).chars(200)
    return ""


@register.filter
def described_widget(bound_field):
    """Render a form field's widget linked to its help text and error (aria-describedby, aria-invalid)."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.id_for_label}-help")
    if bound_field.errors:
        ids.append(f"{bound_field.id_for_label}-error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def french_date(value):
    """ "3 juillet 2025", with "1er" for the first of the month, as the agenda writes dates."""
    return format_date(value) if value else ""


# Art direction: a phone gets its own crop (taller), wide screens the panoramic one; both follow
# the image's focal point, which editors set in the image library.
PICTURE_FORMATS = ("webp", "jpeg")


@register.inclusion_tag("includes/art_picture.html")
def art_picture(image, phone, desktop, *, alt="", css_class="", breakpoint="48em", loading="lazy"):
    """A <picture> with one crop per screen size (``phone`` / ``desktop`` are Wagtail filter specs).

    The four renditions (two crops, WebP and JPEG) are fetched together: one query, not four.
    """
    if image is None:
        return {"image": None}
    specs = {
        (crop, fmt): f"{spec}|format-{fmt}"
        for crop, spec in (("phone", phone), ("desktop", desktop))
        for fmt in PICTURE_FORMATS
    }
    renditions = image.get_renditions(*specs.values())
    found = {key: renditions[spec] for key, spec in specs.items()}
    return {
        "image": image,
        "alt": alt,
        "css_class": css_class,
        "media": f"(min-width: {breakpoint})",
        "loading": loading,
        "desktop_webp": found[("desktop", "webp")],
        "desktop_jpeg": found[("desktop", "jpeg")],
        "phone_webp": found[("phone", "webp")],
        "phone_jpeg": found[("phone", "jpeg")],
    }
