"""A visitor finds one date of a series in the month view by keyboard alone and registers for it (issue 13)."""

import pytest
from django.utils import timezone

from registrations import services
from registrations.models import Registration
from tests.e2e.helpers import assert_accessible
from tests.e2e.test_registration_form import register_by_keyboard, tab_to
from tests.registrations.series import make_series

pytestmark = pytest.mark.e2e


def test_from_the_month_view_to_one_date_by_keyboard(page, demo_site, fast_forms, axe_source):
    event, dates = make_series(
        demo_site.root_page.specific, dates=3, capacity=4, title="Café réparation du jeudi", slug="cafe-jeudi"
    )
    wanted = dates[1]
    day = timezone.localtime(wanted.start)
    agenda = event.get_parent().specific
    page.goto(f"{agenda.url}mois/{day.year}/{day.month}/")
    assert_accessible(page, axe_source, "month view with a series")

    # The month's link to that date leads to the date itself on the event page.
    tab_to(page, f"el.getAttribute('href') === {event.url + '#date-' + str(wanted.pk)!r}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(f"#date-{wanted.pk}").is_visible()

    form_url = f"/inscription/{event.pk}/date/{wanted.pk}/"
    tab_to(page, f"el.getAttribute('href') === {form_url!r}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    register_by_keyboard(page, "Mehdi", "Garnier", "mehdi@exemple.org")

    summary = page.locator(".event-summary").inner_text().lower()
    assert services.BookableUnit(event, wanted).dates_display.lower() in summary
    assert Registration.objects.get(email="mehdi@exemple.org").occurrence_id == wanted.pk
