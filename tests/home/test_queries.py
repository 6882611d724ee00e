"""Query counts of the busiest pages stay flat as content grows (measured: home 17, news 15)."""

import datetime

import pytest
from django.utils import timezone

from tests.events.factories import EventIndexPageFactory, EventPageFactory
from tests.home.factories import ArticlePageFactory, ImageFactory, NewsIndexPageFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HOME_MAX_QUERIES = 17
NEWS_MAX_QUERIES = 15


@pytest.fixture(params=[3, 12], ids=["few", "many"])
def news(request, home_page):
    """A news index, an agenda and partners, each item with its own image."""
    news = NewsIndexPageFactory(parent=home_page, per_page=9)
    agenda = EventIndexPageFactory(parent=home_page)
    for i in range(request.param):
        ArticlePageFactory(parent=news, image=ImageFactory(), tag_names=["Coopérer", f"Thème {i}"])
        EventPageFactory(
            parent=agenda,
            title=f"Atelier {i}",
            image=ImageFactory(),
            # A fixed morning hour: the factory ends the event at 17:00 the same day, whatever the clock says.
            start=(timezone.now() + datetime.timedelta(days=i + 1)).replace(hour=9, minute=30),
        )
        PartnerFactory()
    return news


def test_home_page_queries(client, news, django_assert_max_num_queries):
    client.get("/")  # renditions are generated once, then cached
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card card--event"') == 3


def test_news_listing_queries(client, news, django_assert_max_num_queries):
    client.get(news.url)
    with django_assert_max_num_queries(NEWS_MAX_QUERIES):
        response = client.get(news.url)
    assert response.status_code == 200
    assert 'class="card"' in response.content.decode()
