"""The visitor's address and what counts it: login lockout (per account, per address) and password-reset limits."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django_ratelimit.core import is_ratelimited

from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"
ATTACKER = "203.0.113.66"
WRONG = "mauvais"  # noqa: S105


@pytest.fixture
def accounts(db):
    users = get_user_model().objects
    return [users.create_superuser(f"compte{n}", f"compte{n}@example.org", f"bon-mot-de-passe-{n}") for n in range(5)]


@pytest.fixture
def lockout():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_ADDRESS_FAILURE_LIMIT=10):
        yield


def attempt(client, n, password=WRONG, ip=ATTACKER, **headers):
    return client.post(LOGIN, {"username": f"compte{n}", "password": password}, REMOTE_ADDR=ip, **headers)


# Login lockout ---------------------------------------------------------------------------------------------------


def test_password_spraying_from_one_address_is_locked(client, accounts, lockout):
    """3 guesses at each of 4 accounts (never 5 at one) used to go on for ever: the 10th failure locks the address."""
    statuses = [attempt(client, n).status_code for n in range(4) for _ in range(3)]
    assert statuses[:9] == [200] * 9  # the login page again, "wrong password"
    assert statuses[9:] == [429] * 3
    locked = attempt(client, 4, password="bon-mot-de-passe-4")
    assert locked.status_code == 429
    assert "la connexion y est bloquée pendant 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert attempt(client, 4, password="bon-mot-de-passe-4", ip="198.51.100.4").status_code == 302


def test_a_successful_login_does_not_wipe_the_address_failures(client, accounts, lockout):
    """A sprayer holding one valid account must not reset the address's count by logging in with it."""
    for n in (0, 1):
        for _ in range(4):
            assert attempt(client, n).status_code == 200
    assert attempt(client, 4, password="bon-mot-de-passe-4").status_code == 302
    client.logout()
    assert [attempt(client, 2).status_code for _ in range(3)] == [200, 429, 429]


def test_a_person_who_mistyped_then_succeeded_starts_afresh(client, accounts, lockout):
    for _ in range(4):
        attempt(client, 0)
    assert attempt(client, 0, password="bon-mot-de-passe-0").status_code == 302
    client.logout()
    assert [attempt(client, 0).status_code for _ in range(4)] == [200] * 4


def test_pairs_still_lock_below_the_address_limit(client, accounts, lockout):
    assert [attempt(client, 0).status_code for _ in range(6)] == [200] * 4 + [429, 429]
    assert attempt(client, 1, password="bon-mot-de-passe-1").status_code == 302


@pytest.mark.parametrize("forwarded", ["6.6.6.{n}", "10.0.0.{n}, 192.0.2.{n}"])
def test_forged_forwarded_for_cannot_dodge_the_lockout_when_gunicorn_is_reached_directly(
    client, accounts, lockout, forwarded
):
    """TRUSTED_PROXY_COUNT=0 (no nginx): the header is the visitor's own words, never their address."""
    with override_settings(TRUSTED_PROXY_COUNT=0):
        statuses = [attempt(client, 0, HTTP_X_FORWARDED_FOR=forwarded.format(n=n)).status_code for n in range(6)]
    assert statuses == [200] * 4 + [429, 429]


def test_forged_forwarded_for_cannot_dodge_rate_limits_when_gunicorn_is_reached_directly(rf):
    cache.clear()
    with override_settings(TRUSTED_PROXY_COUNT=0):
        limited = [
            is_ratelimited(
                rf.post("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}"),
                group="forged",
                key="ip",
                rate="2/h",
                increment=True,
            )
            for n in range(4)
        ]
    assert limited == [False, False, True, True]
    cache.clear()


# Password reset --------------------------------------------------------------------------------------------------


def reset(client, email, ip=ATTACKER):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


def test_password_reset_is_limited_per_address(client, accounts, limits_on):
    """One machine cannot sweep addresses: 5 requests an hour."""
    statuses = [reset(client, f"inconnu{n}@example.org").status_code for n in range(7)]
    assert statuses == [302] * 5 + [429, 429]
    refused = reset(client, "compte0@example.org")
    assert refused.status_code == 429
    assert "Trop de demandes de réinitialisation du mot de passe" in refused.content.decode()
    assert 'name="email"' in refused.content.decode()  # the form again, not a dead end
    assert mail.outbox == []


def test_password_reset_is_limited_per_email_address(client, accounts, limits_on):
    """10 requests used to send 10 e-mails to the same editor: now 3 an hour, whatever the sender's address."""
    statuses = [
        reset(client, "compte0@example.org" if n % 2 else "  Compte0@Example.ORG ", ip=f"198.51.100.{n}").status_code
        for n in range(10)
    ]
    assert statuses == [302] * 3 + [429] * 7
    # Every e-mail goes through the outbox (delivered after commit by the queue): count what was queued.
    queued = OutgoingEmail.objects.all()
    assert queued.count() == 3
    assert all(message.recipient_list == ["compte0@example.org"] for message in queued)
    # Another editor is not affected.
    assert reset(client, "compte1@example.org", ip="192.0.2.1").status_code == 302
    assert OutgoingEmail.objects.count() == 4
