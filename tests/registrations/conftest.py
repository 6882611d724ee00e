"""Fixtures for registration tests."""

import pytest
from django.core.cache import cache

from tests.registrations import helloasso_server
from tests.registrations.factories import make_event


@pytest.fixture(autouse=True)
def _fast_forms_everywhere(fast_forms):
    """Every registration test gets ``fast_forms`` (tests/conftest.py)."""


@pytest.fixture
def event(home_page):
    return make_event(home_page)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (e-mails, signals) at the end of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def helloasso(settings):
    """A local server speaking HelloAsso Checkout's protocol, and the site configured to use it."""
    fake = helloasso_server.FakeHelloAsso().start()
    settings.HELLOASSO_CLIENT_ID = helloasso_server.CLIENT_ID
    settings.HELLOASSO_CLIENT_SECRET = helloasso_server.CLIENT_SECRET
    settings.HELLOASSO_ORGANIZATION_SLUG = helloasso_server.SLUG
    settings.HELLOASSO_API_URL = fake.url
    settings.HELLOASSO_SIGNATURE_KEY = ""
    settings.HELLOASSO_TIMEOUT = 2
    cache.clear()  # no token of another test's server
    yield fake
    fake.stop()
