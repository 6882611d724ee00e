import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The full demo content, as `load_demo` builds it; returns the default Site."""
    from wagtail.models import Site

    call_command("load_demo", stdout=io.StringIO())
    return Site.objects.get(is_default_site=True)
