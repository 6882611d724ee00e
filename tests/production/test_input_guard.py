"""The door: control characters in a request get a French 400 page; Django's other refusals are French too."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied

from core import antirobot
from home.contact import STARTED_FIELD, STARTED_SALT
from tests.home.factories import ContactPageFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db


def assert_french_400(response):
    body = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="fr">' in body
    assert "Demande incorrecte" in body
    assert "Bad Request" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/recherche/?q=%00",  # was a 500 on PostgreSQL
        "/recherche/?q=abc%1Bdef",  # ESC
        "/recherche/?q=%7F",  # DEL
        "/recherche/?q=%C2%9B",  # a C1 control
        "/recherche/?%00=x",  # in a parameter's name
        "/actualites/?libelle=%00",  # was a 500 everywhere
        "/?page=1&page=%00",  # in any of the values
        "/accueil%00/",  # in the path
        "/calendrier/categorie/a%00b.ics",
    ],
)
def test_control_characters_in_the_address_get_the_french_400_page(client, home_page, url):
    NewsIndexPageFactory(parent=home_page, title="Actualités", slug="actualites")
    assert_french_400(client.get(url))


def test_nul_in_posted_form_data_gets_the_french_400_page(client, home_page):
    contact = ContactPageFactory(parent=home_page)
    assert_french_400(client.post(contact.url, {"nom": "Camille\x00", "e_mail": "c@example.org", "message": "Bonjour"}))


def test_what_people_paste_still_reaches_the_forms(client, home_page, fast_forms):
    """Word's line break (\\x0b) and tabs are cleaned by the form, not refused at the door."""
    contact = ContactPageFactory(parent=home_page)
    started = antirobot.make_started(STARTED_SALT)
    response = client.post(
        contact.url,
        {"nom": "Camille\tMartin", "e_mail": "c@example.org", "message": "Bonjour\x0bà demain", STARTED_FIELD: started},
    )
    assert response.status_code == 200
    assert "Merci pour votre message" in response.content.decode()


def test_ordinary_addresses_pass(client, home_page):
    NewsIndexPageFactory(parent=home_page, title="Actualités", slug="actualites")
    assert client.get("/recherche/?q=caf%C3%A9+%C3%A0+Dijon%E2%80%AF!").status_code == 200
    assert client.get("/actualites/?page=2").status_code == 200


def test_the_refusal_is_logged_without_the_values(client, home_page, caplog):
    client.get("/recherche/?q=secret%00value")
    assert "Refused a GET request: control character in its query" in caplog.text
    assert "secret" not in caplog.text


def test_csrf_failure_page_is_french(home_page):
    contact = ContactPageFactory(parent=home_page)
    client = Client(enforce_csrf_checks=True)
    response = client.post(contact.url, {"nom": "Camille", "e_mail": "c@example.org", "message": "Bonjour"})
    body = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="fr">' in body
    assert "Votre envoi n'a pas été pris en compte" in body
    assert "cookies" in body  # the likely cause without a CSRF cookie
    assert "CSRF verification failed" not in body


def test_permission_denied_page_is_french(home_page):
    request = RequestFactory().get("/")
    response = permission_denied(request, PermissionDenied())
    body = response.content.decode()
    assert response.status_code == 403
    assert "Accès refusé" in body
    assert '<html lang="fr">' in body
    assert body.count("<h1") == 1
