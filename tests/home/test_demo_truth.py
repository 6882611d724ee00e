"""The demo tells the truth of the sources: 15 members, partners by role, pictures that differ."""

import re

import pytest
from wagtail.images import get_image_model

from events.models import EventPage
from home.models import MemberPage, Partner, PartnerCategory

pytestmark = pytest.mark.django_db


def test_the_fifteen_member_structures_are_in_the_directory(client, demo_site):
    home = client.get("/").content.decode()
    assert '15</span> <span class="figure__label">structures membres' in home
    members = MemberPage.objects.live().exclude(slug="la-boate")
    assert members.count() == 15
    invented = [member for member in members if "(exemple)" in member.title]
    assert len(invented) == 8
    for member in invented:
        assert "inventée" in member.tagline and "Fiche d'exemple" in member.about
    directory = client.get(members.first().get_parent().url).content.decode()
    for member in members:
        assert member.title.replace("'", "&#x27;") in directory, member.title


def test_partners_by_role_without_la_coursive_nor_an_empty_card(client, demo_site):
    body = client.get("/partenaires/").content.decode()
    main = body.split("<main")[1].split("</main>")[0]
    assert "La Coursive Boutaric</h3>" not in main
    assert "Autres partenaires" not in main
    headings = re.findall(r'class="section__title">([^<]+)<', main)
    assert headings == ["Financeurs", "Partenaires institutionnels", "Réseaux", "Structures membres"]
    for partner in Partner.objects.exclude(category=PartnerCategory.HOST):
        assert partner.description and partner.logo_id, f"{partner.name} would be an empty card"
    assert "Consortium universitaire" in main
    # La Coursive still organises its events, with its logo.
    host = Partner.objects.get(category=PartnerCategory.HOST)
    assert EventPage.objects.filter(event_partners__partner=host).exists()


def test_pictures_differ_from_card_to_card_and_say_what_they_show(client, demo_site):
    events = EventPage.objects.live()
    assert all(event.image_id for event in events), "every demo event has its picture"
    pictures = get_image_model().objects.exclude(title__startswith="Logo ")
    hashes = [image.file_hash or image.file.read() for image in pictures]
    assert len(set(hashes)) == len(hashes), "two demo pictures are the same drawing"
    for image in pictures:
        assert len(image.description) > 30, f"{image.title}: no real alt text"
    agenda = client.get("/agenda/").content.decode()
    assert agenda.count('class="event-card__image"') >= 4
