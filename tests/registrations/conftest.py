"""Fixtures for registration tests."""

import pytest

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
