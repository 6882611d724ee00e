"""iCalendar downloads and feeds, parsed as calendar apps parse them."""

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from events.ical import event_calendar_bytes
from tests.events.factories import (
    EventCategoryFactory,
    EventPageFactory,
    EventPartnerFactory,
    VenueFactory,
    days_from_now,
    paris,
)

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def only_event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def workshop(agenda):
    venue = VenueFactory(name="La Coursive Boutaric", address="33 place Galilée", postcode="21000", city="Dijon")
    page = EventPageFactory(
        parent=agenda,
        title="Tiers-lieux et institutions culturelles",
        slug="tiers-lieux",
        summary="Coopérer et faire commun sur le territoire.",
        access_and_price="Gratuit — inscription obligatoire",
        start=paris(2099, 7, 3, 9, 30),
        end=paris(2099, 7, 3, 17),
        venue=venue,
    )
    return publish(page)


def test_single_event_download(client, workshop):
    response = client.get(f"/calendrier/evenement/{workshop.pk}.ics")

    calendar = parse(response)
    assert response["Content-Disposition"] == 'attachment; filename="tiers-lieux.ics"'
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//La Coursive Boutaric//Agenda//FR"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Tiers-lieux et institutions culturelles"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    event = only_event(calendar)
    assert event["UID"] == f"event-{workshop.pk}@lacoursiveboutaric.fr"
    assert event["SUMMARY"] == "Tiers-lieux et institutions culturelles"
    assert event["LOCATION"] == "La Coursive Boutaric, 33 place Galilée, 21000 Dijon"
    assert event["URL"] == "http://localhost/agenda/tiers-lieux/"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert "DTSTAMP" in event
    assert event.decoded("LAST-MODIFIED") == workshop.last_published_at.replace(microsecond=0)
    description = str(event["DESCRIPTION"])
    assert description.startswith("Coopérer et faire commun sur le territoire.")
    assert "Accès : Gratuit — inscription obligatoire" in description
    assert description.endswith("http://localhost/agenda/tiers-lieux/")


def test_times_are_paris_wall_times_with_tzid(client, workshop):
    body = client.get(f"/calendrier/evenement/{workshop.pk}.ics").content.decode()
    assert "DTSTART;TZID=Europe/Paris:20990703T093000" in body
    assert "DTEND;TZID=Europe/Paris:20990703T170000" in body
    event = only_event(Calendar.from_ical(body))
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 30, "Europe/Paris")
    assert start == workshop.start


def test_a_new_time_is_an_update_of_the_same_event(client, workshop):
    before = only_event(parse(client.get(f"/calendrier/evenement/{workshop.pk}.ics")))

    workshop.start = paris(2099, 7, 3, 10)
    workshop.end = paris(2099, 7, 3, 18)
    publish(workshop)
    after = only_event(parse(client.get(f"/calendrier/evenement/{workshop.pk}.ics")))

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == paris(2099, 7, 3, 10)


def test_a_new_venue_raises_the_sequence(workshop):
    workshop.venue = VenueFactory(name="Le 52 Battant")
    publish(workshop)
    assert workshop.ical_sequence == 1


def test_feeds_only_answer_get(client, workshop):
    assert client.post(f"/calendrier/evenement/{workshop.pk}.ics").status_code == 405
    assert client.post("/calendrier/agenda.ics").status_code == 405


def test_venue_coordinates_become_geo(client, workshop):
    workshop.venue.latitude, workshop.venue.longitude = "47.335000", "5.060000"
    workshop.venue.save()
    event = only_event(parse(client.get(f"/calendrier/evenement/{workshop.pk}.ics")))
    assert (event["GEO"].latitude, event["GEO"].longitude) == (47.335, 5.06)


def test_editing_the_title_does_not_raise_the_sequence(workshop):
    workshop.title = "Nouveau titre"
    publish(workshop)
    assert workshop.ical_sequence == 0


def test_a_draft_with_new_times_does_not_raise_the_sequence(workshop):
    workshop.start = paris(2099, 7, 4, 9, 30)
    workshop.end = paris(2099, 7, 4, 17)
    workshop.save_revision()
    workshop.refresh_from_db()
    assert workshop.ical_sequence == 0
    assert workshop.start == paris(2099, 7, 3, 9, 30)


def test_cancelled_event_is_cancelled_in_calendars(client, workshop):
    workshop.status = "cancelled"
    publish(workshop)
    event = only_event(parse(client.get(f"/calendrier/evenement/{workshop.pk}.ics")))
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_postponed_event_is_tentative(client, workshop):
    workshop.status = "postponed"
    publish(workshop)
    assert only_event(parse(client.get(f"/calendrier/evenement/{workshop.pk}.ics")))["STATUS"] == "TENTATIVE"


def test_all_day_events_use_dates_and_an_exclusive_end(client, agenda):
    page = EventPageFactory(parent=agenda, start=paris(2099, 9, 10), end=paris(2099, 9, 12, 18), all_day=True)
    body = client.get(f"/calendrier/evenement/{page.pk}.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20990910" in body
    assert "DTEND;VALUE=DATE:20990913" in body
    event = only_event(Calendar.from_ical(body))
    assert event.decoded("DTSTART") == date(2099, 9, 10)
    assert not isinstance(event.decoded("DTSTART"), datetime)
    assert event["TRANSP"] == "TRANSPARENT"


def test_winter_times_keep_their_wall_time(client, agenda):
    page = EventPageFactory(parent=agenda, start=paris(2099, 1, 15, 18), end=paris(2099, 1, 15, 20, 30))
    body = client.get(f"/calendrier/evenement/{page.pk}.ics").content.decode()
    assert "DTSTART;TZID=Europe/Paris:20990115T180000" in body
    assert "DTEND;TZID=Europe/Paris:20990115T203000" in body
    assert "TZOFFSETTO:+0100" in body and "TZOFFSETTO:+0200" in body


def test_unpublished_or_private_events_have_no_calendar(client, agenda):
    draft = EventPageFactory(parent=agenda, live=False)
    private = EventPageFactory(parent=agenda)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert client.get(f"/calendrier/evenement/{draft.pk}.ics").status_code == 404
    assert client.get(f"/calendrier/evenement/{private.pk}.ics").status_code == 404


def test_event_calendar_bytes_for_e_mails(workshop):
    calendar = Calendar.from_ical(event_calendar_bytes(workshop))
    assert only_event(calendar)["UID"] == f"event-{workshop.pk}@lacoursiveboutaric.fr"


def test_agenda_feed_has_upcoming_and_recent_events(client, agenda):
    EventPageFactory(parent=agenda, title="Bientôt", start=days_from_now(5))
    EventPageFactory(parent=agenda, title="Le mois dernier", start=days_from_now(-30))
    EventPageFactory(parent=agenda, title="Il y a un an", start=days_from_now(-365))
    EventPageFactory(parent=agenda, title="Brouillon", start=days_from_now(5), live=False)

    response = client.get("/calendrier/agenda.ics")

    calendar = parse(response)
    assert "attachment" not in response["Content-Disposition"]
    assert calendar["X-WR-CALNAME"] == "Agenda — La Coursive Boutaric"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == ["Bientôt", "Le mois dernier"]


def test_category_feed_has_only_its_category(client, agenda):
    atelier = EventCategoryFactory(name="Atelier", slug="atelier")
    EventPageFactory(parent=agenda, title="Atelier", category=atelier)
    EventPageFactory(parent=agenda, title="Conférence", category=EventCategoryFactory(slug="conference"))

    calendar = parse(client.get("/calendrier/categorie/atelier.ics"))

    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Atelier"]
    assert calendar["X-WR-CALNAME"] == "Atelier — La Coursive Boutaric"
    assert client.get("/calendrier/categorie/inconnue.ics").status_code == 404


def test_feed_query_count_does_not_grow_with_events(client, agenda, django_assert_max_num_queries):
    for day in range(5):
        EventPageFactory(parent=agenda, start=days_from_now(day + 1))
    # Constant: the site, the agenda, the events, their partners, the courses' sessions, the dates of series,
    # the site settings (created on first use).
    with django_assert_max_num_queries(12):
        client.get("/calendrier/agenda.ics")
    for day in range(20):
        EventPageFactory(parent=agenda, start=days_from_now(day + 1))
    with django_assert_max_num_queries(12):
        client.get("/calendrier/agenda.ics")


# --- ORGANIZER ---------------------------------------------------------------------------------


def organizer_of(client, page):
    event = only_event(parse(client.get(f"/calendrier/evenement/{page.pk}.ics")))
    organizer = event["ORGANIZER"]
    return str(organizer), organizer.params.get("CN")


def test_organizer_is_the_organising_partner_with_the_event_contact(client, workshop):
    EventPartnerFactory(page=workshop, partner__name="Financeur", role="funder")
    EventPartnerFactory(page=workshop, partner__name="Ocim", role="organiser")
    workshop.contact_email = "ateliers@example.org"
    publish(workshop)

    assert organizer_of(client, workshop) == ("mailto:ateliers@example.org", "Ocim")


def test_organizer_falls_back_to_the_association_and_its_public_address(client, workshop, home_page):
    from home.models import SiteSettings

    settings_row = SiteSettings.for_site(home_page.get_site())
    settings_row.email = "bonjour@example.org"
    settings_row.save()

    assert organizer_of(client, workshop) == ("mailto:bonjour@example.org", "La Coursive Boutaric")


def test_organizer_without_any_address_uses_the_sending_address(client, workshop, settings):
    settings.DEFAULT_FROM_EMAIL = "Coursive <envoi@example.org>"

    assert organizer_of(client, workshop) == ("mailto:envoi@example.org", "La Coursive Boutaric")


def test_organizer_in_the_e_mail_attachment(workshop):
    event = only_event(Calendar.from_ical(event_calendar_bytes(workshop)))
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert event["ORGANIZER"].params["CN"] == "La Coursive Boutaric"


def test_feed_events_each_carry_their_organizer(client, agenda):
    first = EventPageFactory(parent=agenda, title="Un", start=days_from_now(1))
    EventPartnerFactory(page=first, partner__name="Ocim", role="organiser")
    EventPageFactory(parent=agenda, title="Deux", start=days_from_now(2))

    calendar = parse(client.get("/calendrier/agenda.ics"))

    names = {str(event["SUMMARY"]): event["ORGANIZER"].params["CN"] for event in calendar.walk("VEVENT")}
    assert names == {"Un": "Ocim", "Deux": "La Coursive Boutaric"}


def test_feeds_answer_only_get_and_head(client, workshop):
    for url in ("/calendrier/agenda.ics", f"/calendrier/evenement/{workshop.pk}.ics"):
        assert client.head(url).status_code == 200
        assert client.post(url).status_code == 405


def test_text_typed_before_the_forms_cleaned_it_never_breaks_a_calendar(client, workshop, agenda):
    """Old data: a line break in a title made the .ics (and every e-mail carrying it) fail with a 500."""
    workshop.title = "Tiers-lieux\r\net\x01 musées\u202e"  # (no NUL: PostgreSQL never stored one)
    workshop.access_and_price = "Gratuit\r\nsur inscription"
    workshop.venue.name = "La Coursive\nBoutaric\x1b"
    workshop.venue.save()
    workshop.category.name = "Atelier\r\n"
    workshop.category.save()
    EventPartnerFactory(page=workshop, partner__name="Ocim\r\nDijon", role="organiser")
    publish(workshop)

    for url in (f"/calendrier/evenement/{workshop.pk}.ics", "/calendrier/agenda.ics"):
        calendar = parse(client.get(url))
        event = only_event(calendar)
        assert event["SUMMARY"] == "Tiers-lieux et musées"
        assert event["LOCATION"].startswith("La Coursive Boutaric, ")
        assert "Accès : Gratuit sur inscription" in str(event["DESCRIPTION"])
        assert event["ORGANIZER"].params["CN"] == "Ocim Dijon"
        assert event["CATEGORIES"].cats == ["Atelier"]
    assert only_event(Calendar.from_ical(event_calendar_bytes(workshop)))["SUMMARY"] == "Tiers-lieux et musées"
    assert parse(client.get(f"/calendrier/evenement/{workshop.pk}.ics"))["X-WR-CALNAME"] == "Tiers-lieux et musées"
