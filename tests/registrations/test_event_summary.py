"""The event summary on the form, confirmation and self-service pages: the one date formatter."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.registrations.factories import make_event

pytestmark = pytest.mark.django_db


def test_form_page_shows_start_and_end_that_never_break(client, home_page):
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=9, minute=30, second=0, microsecond=0)
    event = make_event(home_page, start=start, end=start.replace(hour=17, minute=0))
    body = client.get(f"/inscription/{event.pk}/").content.decode()
    summary = body.split('class="event-summary"')[1].split("</p>")[0]
    assert "9\u00a0h\u00a030\u00a0– 17\u00a0h" in summary
    assert "h 00" not in summary
