"""Shared fixtures: the demo-free site skeleton most tests start from."""

import pytest
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
