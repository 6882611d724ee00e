"""The health endpoint answers for the database and the cache, and is never cached."""

import pytest

from config import health


@pytest.mark.django_db
def test_health_ok(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_a_broken_cache_with_503(client, monkeypatch):
    def broken():
        raise ConnectionError("redis down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"status": "erreur", "database": "ok", "cache": "erreur"}
    assert "redis" not in response.content.decode()


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/sante/").status_code == 405
