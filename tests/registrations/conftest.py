"""Fixtures for registration tests."""

import pytest
from django.core.cache import cache

from tests.registrations.factories import make_event


@pytest.fixture(autouse=True)
def _fast_forms_no_limits(settings):
    """Most tests submit at once and many times: fill-time and rate limits have their own tests."""
    settings.REGISTRATION_MIN_FILL_SECONDS = 0
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(home_page):
    return make_event(home_page)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (e-mails, signals) at the end of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
