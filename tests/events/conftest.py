import pytest

from tests.events.factories import EventIndexPageFactory


@pytest.fixture
def agenda(home_page):
    """The agenda page, published under the home page."""
    return EventIndexPageFactory(parent=home_page)
