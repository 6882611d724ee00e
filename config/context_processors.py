"""Template context the site's layout needs, from the layer that knows the page cache."""

from django.utils.functional import SimpleLazyObject

from config.cache import current_generation


def layout(request):
    """``layout_generation``: the page cache's generation, the key of the cached layout fragments.

    The header (menu), breadcrumbs and footer are the same on every page until
    something is published, moved or a setting saved, which is exactly when the
    generation moves (``config/cache.py``): caching them under it spares each
    built page their queries (site settings, menu, ancestors) and rendering.
    Read lazily, from the page cache's own lookup when it made one.
    """

    def generation():
        known = getattr(request, "page_cache_generation", None)
        return known if known is not None else current_generation()

    return {"layout_generation": SimpleLazyObject(generation)}
