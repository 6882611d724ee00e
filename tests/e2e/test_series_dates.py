"""A person books one date of a series by keyboard alone; the page stays accessible with its list of dates."""

import pytest

from events.models import OccurrenceStatus
from registrations import services
from registrations.models import Registration
from tests.e2e.helpers import assert_accessible, save_screenshots
from tests.e2e.test_registration_form import register_by_keyboard, tab_to
from tests.registrations.factories import person
from tests.registrations.series import make_series

pytestmark = pytest.mark.e2e


@pytest.fixture
def series(demo_site, fast_forms):
    """A series of four dates of two seats: the first full (waiting list), the third cancelled."""
    event, dates = make_series(
        demo_site.root_page.specific, dates=4, capacity=2, title="Café réparation du mardi", slug="cafe-reparation"
    )
    for n in range(2):
        services.register(event, occurrence=dates[0], **person(n))
    dates[2].status = OccurrenceStatus.CANCELLED
    dates[2].save()
    return event, dates


def test_booking_one_date_of_a_series_by_keyboard(page, series, axe_source):
    event, dates = series
    page.goto(event.url)
    items = page.locator(".series-dates__item")
    assert items.count() == 4
    assert "Liste d'attente" in items.nth(0).inner_text()
    assert "2 places" in items.nth(1).inner_text()
    assert "Annulée" in items.nth(2).inner_text()
    assert_accessible(page, axe_source, "series event page")
    save_screenshots(page, "series-event-page")

    wanted = f"/inscription/{event.pk}/date/{dates[1].pk}/"
    tab_to(page, f"el.getAttribute('href') === {wanted!r}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(wanted)
    assert_accessible(page, axe_source, "form of one date")

    register_by_keyboard(page, "Inès", "Lefèvre", "ines@exemple.org")

    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte mail"
    booked = services.BookableUnit(event, dates[1]).dates_display
    assert booked.lower() in page.locator(".event-summary").inner_text().lower()
    registration = Registration.objects.get(email="ines@exemple.org")
    assert registration.occurrence_id == dates[1].pk
