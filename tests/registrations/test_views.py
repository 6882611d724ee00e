"""The public form: outcomes, duplicates, anti-spam, limits, accessibility and caching."""

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from registrations import services, tokens
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def form_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "organisation": "",
        "phone": "",
        "consent": "on",
        "website": "",
        "started": tokens.make_form_started(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def url(event):
    return reverse("registrations:register", args=[event.pk])


def post(client, event, commit, **overrides):
    with commit():
        return client.post(url(event), form_data(**overrides))


def test_form_page_is_never_cached_and_lists_fields(client, event):
    response = client.get(url(event))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Inscription : " in html
    for name in ("first_name", "last_name", "email", "organisation", "phone", "consent"):
        assert f'name="{name}"' in html
    assert 'name="seats"' not in html  # one seat per person by default
    assert 'type="checkbox" name="consent"' in html and "checked" not in html.split('name="consent"')[1][:60]
    assert "/politique-de-confidentialite/" in html
    assert "registrations/js/error-summary.js" in html


def test_form_page_query_count(client, home_page, django_assert_num_queries):
    event = make_event(
        home_page,
        max_seats_per_registration=3,
        questions=[{"label": "Structure", "field_type": "single_choice", "choices": "Asso\nEntreprise"}],
    )
    client.get(url(event))  # warm Wagtail's site cache
    # The event, and its seats taken and waiting list together. The price tiers, questions and audience
    # questions, the layout, the private sections, the site's settings and the privacy page's address are
    # read once per generation (layout fragments, core/generation_memo.py), the empty form kept
    # ({% keptform %}, tests/registrations/test_kept_form.py).
    with django_assert_num_queries(2):
        response = client.get(url(event))
    assert 'name="seats"' in response.content.decode()


def thanks_page(client, response, event):
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:thanks", args=[event.pk])
    page = client.get(response["Location"])
    assert "no-store" in page["Cache-Control"]
    return page.content.decode()


def test_confirmed_flow(client, event, commit):
    response = post(client, event, commit)
    registration = Registration.objects.get()
    assert registration.status == S.CONFIRMED
    assert registration.consent_at is not None and "confidentialité" in registration.consent_text
    page = thanks_page(client, response, event)
    assert "Vérifiez votre boîte mail" in page
    assert "<strong>camille@example.org</strong>" in page
    (message,) = mail.outbox
    assert message.subject.startswith("Inscription confirmée") and message.to == ["camille@example.org"]


def test_waitlisted_flow_gives_the_position_by_mail(client, home_page, commit):
    event = make_event(home_page, capacity=1, confirmation_message="Apportez un pique-nique.")
    make_registration(event)
    make_registration(event, status=S.WAITLISTED)
    response = post(client, event, commit)
    assert "Vérifiez votre boîte mail" in thanks_page(client, response, event)
    (message,) = mail.outbox
    assert message.subject.startswith("Liste d'attente")
    assert "position 2" in message.body
    assert "pique-nique" not in message.body  # practical information is for confirmed people


def test_review_flow_says_awaiting_approval_by_mail(client, home_page, commit):
    event = make_event(home_page, registration_mode="review")
    response = post(client, event, commit)
    assert Registration.objects.get().status == S.PENDING
    assert "Vérifiez votre boîte mail" in thanks_page(client, response, event)
    assert mail.outbox[0].subject.startswith("Demande d'inscription reçue")


def test_confirmation_message_sent_when_confirmed(client, home_page, commit):
    event = make_event(home_page, confirmation_message="Apportez un pique-nique.")
    post(client, event, commit)
    assert "pique-nique" in mail.outbox[0].body


def test_an_address_already_registered_gets_the_same_page_and_its_owner_a_mail(client, home_page, commit):
    """Posting someone's address must not reveal that they registered; they are told by mail, with their link."""
    event = make_event(home_page, capacity=1)  # full: a waiting person never stays beside a free seat
    make_registration(event)
    make_registration(event, email="victime@example.org", first_name="Dominique", status=S.WAITLISTED)
    new = post(client, event, commit, email="nouvelle@example.org")
    new_page = thanks_page(client, new, event)
    mail.outbox.clear()

    again = post(client, event, commit, email=" VICTIME@example.org ", first_name="Autre", last_name="Personne")

    assert again["Location"] == new["Location"]
    again_page = thanks_page(client, again, event)
    assert again_page.replace("victime@example.org", "nouvelle@example.org") == new_page
    for secret in ("Dominique", "position", "/inscription/gerer/", "Autre", "déjà"):
        assert secret not in again_page
    assert Registration.objects.filter(email="victime@example.org").count() == 1
    (message,) = mail.outbox
    assert message.to == ["victime@example.org"]
    assert message.subject.startswith("Vous êtes déjà inscrit·e")
    assert "Bonjour Dominique" in message.body and "position 1" in message.body
    assert "Autre" not in message.body
    manage = re.search(r"http://localhost(/inscription/gerer/[^/\s]+/)", message.body).group(1)
    assert "victime@example.org" in client.get(manage).content.decode()


def test_replaying_an_address_already_registered_mails_its_owner_once_an_hour(client, event, commit, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    make_registration(event, email="victime@example.org")
    for n in range(4):
        response = post(client, event, commit, email="victime@example.org", REMOTE_ADDR=f"10.0.3.{n}")
        assert response.status_code == 302
    assert len(mail.outbox) == 1
    with freeze_time(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        post(client, event, commit, email="victime@example.org", REMOTE_ADDR="10.0.3.9")
    assert len(mail.outbox) == 2


def test_the_thanks_page_shows_only_a_genuine_address(client, event, commit):
    response = post(client, event, commit)
    client.cookies["inscription_envoyee"] = "attaquant@example.org"
    page = client.get(response["Location"]).content.decode()
    assert "Vérifiez votre boîte mail" in page and "attaquant@example.org" not in page
    other = make_event(event.get_parent().specific.get_parent().specific)
    assert client.get(reverse("registrations:thanks", args=[other.pk])).status_code == 200
    assert client.get(reverse("registrations:thanks", args=[999999])).status_code == 404


def test_seats_and_custom_questions(client, home_page, commit):
    event = make_event(
        home_page,
        max_seats_per_registration=3,
        questions=[
            {
                "label": "Type de structure",
                "field_type": "single_choice",
                "choices": "Association\nEntreprise",
                "required": True,
            },
            {"label": "Repas", "field_type": "multiple_choice", "choices": "Végétarien\nSans gluten"},
            {"label": "Âge", "field_type": "number"},
            {"label": "Photo", "field_type": "checkbox"},
            {"label": "Attentes", "field_type": "long_text"},
            {"label": "Ville", "field_type": "short_text"},
        ],
    )
    q = {question.label: question.answer_key for question in event.registration_questions.all()}
    data = {
        "seats": "2",
        "companion_2_first_name": "Louise",
        "companion_2_last_name": "Bernard",
        q["Type de structure"]: "Association",
        q["Repas"]: ["Végétarien", "Sans gluten"],
        q["Âge"]: "42",
        q["Photo"]: "on",
        q["Attentes"]: "Apprendre 🙂",
        q["Ville"]: "Dijon",
    }
    with commit():
        response = client.post(url(event), {**form_data(), **data})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.seats == 2
    assert [person.full_name for person in registration.attendees.all()] == [
        registration.full_name,
        "Louise Bernard",
    ]
    assert registration.answers == {
        q["Type de structure"]: "Association",
        q["Repas"]: ["Végétarien", "Sans gluten"],
        q["Âge"]: 42,
        q["Photo"]: True,
        q["Attentes"]: "Apprendre 🙂",
        q["Ville"]: "Dijon",
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"first_name": "x" * 101},
        {"email": "a" * 250 + "@example.org"},
        {"email": "pas-une-adresse"},
        {"phone": "appelez-moi"},
        {"organisation": "o" * 201},
        {"first_name": None},
        {"consent": None},
        {"seats": "abc"},
        {"seats": "99"},
        {"first_name": "\u200b\x1b\u202e"},  # nothing visible: as empty as a blank name (NUL: see test_input_guard)
        {"email": "camille@\u202eexample.org"},
        {"email": "camille@localhost"},
        {"email": "camille@[127.0.0.1]"},
    ],
)
def test_invalid_input_is_refused_without_error(client, home_page, commit, overrides):
    event = make_event(home_page, max_seats_per_registration=2)
    response = post(client, event, commit, **overrides)
    assert response.status_code == 200
    assert Registration.objects.count() == 0
    assert 'role="alert"' in response.content.decode()


def test_invalid_answers_are_refused(client, home_page, commit):
    event = make_event(
        home_page,
        questions=[
            {"label": "Âge", "field_type": "number"},
            {"label": "Type", "field_type": "single_choice", "choices": "A\nB"},
            {"label": "Mot", "field_type": "short_text"},
        ],
    )
    q = {question.label: question.answer_key for question in event.registration_questions.all()}
    for bad in ({q["Âge"]: "douze"}, {q["Âge"]: "10" * 30}, {q["Type"]: "Z"}, {q["Mot"]: "m" * 300}):
        with commit():
            response = client.post(url(event), {**form_data(), **bad})
        assert response.status_code == 200
    assert Registration.objects.count() == 0


def test_unicode_names_are_kept(client, event, commit):
    post(client, event, commit, first_name="Zoé-Ånne", last_name="N’Diaye 李")
    assert Registration.objects.get().last_name == "N’Diaye 李"


def test_errors_are_summarised_and_linked_to_fields(client, event, commit):
    response = post(client, event, commit, email="nope", first_name="")
    html = response.content.decode()
    assert re.search(r'<div class="error-summary" role="alert" tabindex="-1" id="resume-erreurs"', html)
    assert 'href="#id_email"' in html and 'href="#id_first_name"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_error id_email_helptext"' in html
    assert 'id="id_email_error"' in html


def test_honeypot_saves_nothing(client, event, commit):
    response = post(client, event, commit, website="http://spam.example")
    assert response.status_code == 200
    # The message itself: "robot" alone is in every form page (<meta name="robots">).
    assert "Votre envoi ressemble à celui d'un robot" in unescape(response.content.decode())
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_too_fast_saves_nothing(client, event, commit, settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 3
    response = post(client, event, commit)
    assert "trop vite" in response.content.decode()
    assert Registration.objects.count() == 0
    started = tokens.make_form_started()
    with freeze_time(timezone.now() + datetime.timedelta(seconds=5)):
        response = post(client, event, commit, started=started)
    assert response.status_code == 302


def test_tampered_or_missing_timestamp_saves_nothing(client, event, commit):
    for started in ("form:abc:def", None):
        response = post(client, event, commit, started=started)
        assert "expiré" in response.content.decode()
    assert Registration.objects.count() == 0


def test_form_left_open_for_days_can_be_sent_again(client, event, commit, settings):
    """Someone who fills the form the next day is told so, keeps their answers, and the next try works."""
    settings.REGISTRATION_MIN_FILL_SECONDS = 3
    started = tokens.make_form_started()
    with freeze_time(timezone.now() + datetime.timedelta(days=2)):
        response = post(client, event, commit, started=started, organisation="Musée des Beaux-Arts")
        html = response.content.decode()
        assert "expiré" in html and "Vos réponses sont conservées" in html
        assert 'value="Musée des Beaux-Arts"' in html
        assert Registration.objects.count() == 0
        fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
        assert fresh != started
    with freeze_time(timezone.now() + datetime.timedelta(days=2, seconds=30)):
        response = post(client, event, commit, started=fresh)
    assert response.status_code == 302
    assert Registration.objects.count() == 1


def test_rate_limit_per_ip(client, event, commit, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for n in range(30):
        assert post(client, event, commit, email=f"p{n}@example.org").status_code == 302
    response = post(client, event, commit, email="p31@example.org")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert Registration.objects.count() == 30


def test_rate_limit_per_email_counts_valid_submissions_for_one_event(client, home_page, commit, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    event, other = make_event(home_page), make_event(home_page)
    for n in range(5):
        response = post(client, event, commit, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    response = client.post(url(event), form_data(), REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429
    # The same person may still sign up to another workshop.
    response = post(client, other, commit, REMOTE_ADDR="10.0.0.98")
    assert response.status_code == 302
    assert Registration.objects.filter(event=other, email="camille@example.org").exists()


def test_junk_posts_with_an_address_do_not_lock_its_owner_out(client, event, commit, settings):
    """Five invalid posts carrying someone's address (no consent, honeypot, forged start time) block nobody."""
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    junk = [{"consent": None}, {"website": "http://spam.example"}, {"started": "x"}, {"first_name": ""}]
    for n in range(10):
        response = post(client, event, commit, REMOTE_ADDR=f"10.0.1.{n}", **junk[n % len(junk)])
        assert response.status_code == 200
    assert Registration.objects.count() == 0
    response = post(client, event, commit, REMOTE_ADDR="10.0.1.99")
    assert response.status_code == 302
    assert Registration.objects.get().email == "camille@example.org"


def test_the_start_time_is_single_use_and_a_replay_keeps_what_was_typed(client, home_page, commit):
    event, other = make_event(home_page), make_event(home_page)
    started = tokens.make_form_started()
    assert post(client, event, commit, started=started).status_code == 302
    response = post(client, other, commit, started=started, email="robot@example.org", organisation="Robots SA")
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "vient déjà d'être envoyé" in html
    assert 'value="Robots SA"' in html
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert fresh != started
    assert not Registration.objects.filter(email="robot@example.org").exists()
    assert post(client, other, commit, started=fresh, email="robot@example.org").status_code == 302


def test_a_refused_registration_frees_the_start_time(client, home_page, commit, monkeypatch):
    """The service said no (the last seat went between the page and the lock): the same form may be sent again."""
    event = make_event(home_page, capacity=1, waitlist_enabled=False)
    started = tokens.make_form_started()
    register = services.register
    taken = []

    def someone_else_takes_the_seat_first(event, **kwargs):
        taken.append(make_registration(event))
        monkeypatch.setattr(services, "register", register)
        return register(event, **kwargs)

    monkeypatch.setattr(services, "register", someone_else_takes_the_seat_first)
    response = post(client, event, commit, started=started)
    assert response.status_code == 200 and "complet" in unescape(response.content.decode())
    taken[0].delete()  # the other person cancelled
    assert post(client, event, commit, started=started).status_code == 302


CACHE_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6390/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_the_start_time_check_fails_open_when_the_cache_is_down(client, event, commit, caplog):
    started = tokens.make_form_started()
    with override_settings(CACHES=CACHE_DOWN, RATELIMIT_ENABLE=False):
        assert post(client, event, commit, started=started).status_code == 302
    assert Registration.objects.count() == 1
    assert "not checked for reuse" in caplog.text


def test_closed_and_not_yet_open_show_no_form(client, home_page):
    closed = make_event(home_page, registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    html = client.get(url(closed)).content.decode()
    assert "Inscriptions closes" in html and "registration-form" not in html
    later = make_event(home_page, registration_opens_at=timezone.now() + datetime.timedelta(days=3))
    html = client.get(url(later)).content.decode()
    assert "Inscriptions à partir du" in html and "registration-form" not in html
    response = client.post(url(later), form_data())
    assert response.status_code == 200 and Registration.objects.count() == 0


def test_full_without_waitlist_shows_no_form(client, home_page):
    event = make_event(home_page, capacity=1, waitlist_enabled=False)
    make_registration(event)
    html = client.get(url(event)).content.decode()
    assert "Complet" in html and "registration-form" not in html


def test_race_lost_between_display_and_submit_is_a_form_error(client, home_page, commit):
    event = make_event(home_page, capacity=1, waitlist_enabled=False)
    page = client.get(url(event))
    assert "registration-form" in page.content.decode()
    make_registration(event)
    # The form is not shown any more (full), nothing is saved, no server error.
    response = post(client, event, commit)
    assert response.status_code == 200
    assert Registration.objects.count() == 1


def test_unknown_or_draft_event_is_404(client, home_page):
    assert client.get(reverse("registrations:register", args=[999999])).status_code == 404
    event = make_event(home_page)
    event.unpublish()
    assert client.get(url(event)).status_code == 404


def test_registration_box_uses_availability(home_page):
    from django.template import Context, Template

    event = make_event(home_page, capacity=3)
    template = Template("{% load registration_tags %}{% registration_box page %}")
    html = template.render(Context({"page": event}))
    assert "3 places restantes" in html
    assert reverse("registrations:register", args=[event.pk]) in html
    for _ in range(3):
        make_registration(event)
    html = unescape(template.render(Context({"page": event})))
    assert "Complet — liste d'attente" in html
    assert "S'inscrire sur la liste d'attente" in html
    none = make_event(home_page, registration_mode="none")
    assert template.render(Context({"page": none})).strip() == ""


def test_consent_links_to_the_privacy_page_of_the_site_settings(client, home_page, event):
    from wagtail.models import Site

    from home.models import SiteSettings

    privacy = home_page.add_child(instance=type(home_page)(title="Vos données", slug="vos-donnees"))
    settings_row = SiteSettings.for_site(Site.objects.get())
    settings_row.privacy_page = privacy
    settings_row.save()
    html = client.get(url(event)).content.decode()
    # Beside the consent box (the footer links to the same page on every page).
    assert '<a href="/vos-donnees/">Lire la politique de confidentialité</a>' in html
