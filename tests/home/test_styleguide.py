"""The living style guide: staff see the site's components drawn by the site's CSS; nobody else does."""

import pytest

pytestmark = pytest.mark.django_db


def test_staff_see_the_components_with_the_site_styles(admin_client, home_page):
    response = admin_client.get("/admin/guide-de-style/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/css/site.css" in body
    assert "fonts/fraunces-latin-wght-normal.woff2" in body
    for component in [
        'class="button"',
        'class="badge"',
        'class="banner banner--danger"',
        'class="card"',
        "registration-box",
        'class="seats-badge seats-badge--full_waitlist"',
        '<table class="month">',
        'class="form-field form-field--error"',
    ]:
        assert component in body, component
    assert "--terracotta-dark" in body and "7,3:1" in body


def test_the_style_guide_is_not_public(client, home_page):
    response = client.get("/admin/guide-de-style/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
