"""The health endpoint answers for the database and the cache, and is never cached."""

import pytest

from config import health


@pytest.mark.django_db
def test_health_ok(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def broken():
    raise ConnectionError("redis down at 10.0.0.5")


@pytest.mark.django_db
def test_health_reports_a_broken_cache_as_degraded_but_in_service(client, monkeypatch):
    """Every server shares the one Redis and serves without it: a 503 would pull them all."""
    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("status", "database", "cache")} == {
        "status": "dégradé",
        "database": "ok",
        "cache": "erreur",
    }
    assert body["message"].startswith("Cache injoignable : le site fonctionne sans lui")
    assert "redis" not in response.content.decode() and "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_health_reports_a_broken_database_with_503(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("erreur", "erreur", "ok")
    assert body["message"] == "Base de données injoignable : cette instance ne peut pas servir le site."


@pytest.mark.django_db
def test_health_with_both_down_says_both(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", broken)
    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert "Base de données injoignable" in response.json()["message"]
    assert "Cache injoignable" in response.json()["message"]


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/sante/").status_code == 405
