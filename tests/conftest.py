"""Shared fixtures: the demo-free site skeleton most tests start from, fast forms."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from home.models import HomePage


@pytest.fixture
def home_page(db):
    """A HomePage as the default site's root, as a fresh install has it."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="La Coursive Boutaric", slug="accueil"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="La Coursive Boutaric"
    )
    return home


@pytest.fixture
def fast_forms(settings):
    """Tests and browsers submit forms at once and many times: lift the anti-robot delay and rate limits.

    The registration tests use it everywhere, the browser tests where they fill forms;
    the delay and the limits have their own tests, which set them back.
    """
    settings.REGISTRATION_MIN_FILL_SECONDS = 0
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    yield
    cache.clear()
