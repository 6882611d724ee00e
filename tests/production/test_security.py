"""Security headers, the login lockout and upload limits, with the production values."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from PIL import Image as PILImage

from config.security import ADMIN_POLICY, PUBLIC_POLICY

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
NON_EXECUTABLE_TYPES = ("application/json", "application/ld+json", "text/template")


def inline_executable_scripts(html):
    """Inline <script> blocks a browser would run (CSP script-src applies to them)."""
    found = []
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or any(kind in attrs for kind in NON_EXECUTABLE_TYPES) or not match.group("body").strip():
            continue
        found.append(match.group(0)[:120])
    return found


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaction", "redaction@example.org", "mot-de-passe-solide")


@pytest.mark.django_db
def test_public_page_headers(client, home_page, production_security):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_public_page_runs_under_the_strict_policy(client, home_page):
    """The strict policy forbids inline scripts: the public pages must not need any."""
    html = client.get("/").content.decode()
    assert inline_executable_scripts(html) == []
    assert PUBLIC_POLICY["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_admin_pages_get_the_policy_they_need(client, home_page, editor, production_security):
    """Wagtail's admin still has inline scripts (date pickers, inline panels) and frames its previews."""
    client.force_login(editor)
    response = client.get(f"/admin/pages/{home_page.pk}/edit/", secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "'unsafe-eval'" not in csp
    # Every external script of the admin comes from our own origin.
    html = response.content.decode()
    for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
        assert src.startswith("/"), src
    assert ADMIN_POLICY["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_admin_preview_can_be_framed_by_the_admin(client, home_page, editor, production_security):
    client.force_login(editor)
    # Without posted form data Wagtail still answers with its "preview unavailable" page, framed the same way.
    response = client.get(f"/admin/pages/{home_page.pk}/edit/preview/", secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_login_locked_after_repeated_failures_even_with_right_password(client, editor):
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3):
        for _ in range(3):
            response = client.post("/admin/login/", {"username": "redaction", "password": "mauvais"})
            assert response.status_code in (200, 429)
        response = client.post("/admin/login/", {"username": "redaction", "password": "mot-de-passe-solide"})
        assert response.status_code == 429
        assert "Connexion temporairement bloquée" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert client.get("/admin/").status_code == 302  # still sent to the login page


@pytest.mark.django_db
def test_login_lock_is_per_user_and_address(client, editor):
    get_user_model().objects.create_superuser("autre", "autre@example.org", "autre-mot-de-passe")
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2):
        for _ in range(2):
            client.post("/admin/login/", {"username": "redaction", "password": "mauvais"})
        response = client.post("/admin/login/", {"username": "autre", "password": "autre-mot-de-passe"})
        assert response.status_code == 302
        assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_login_failures_below_the_limit_do_not_lock(client, editor):
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3):
        for _ in range(2):
            client.post("/admin/login/", {"username": "redaction", "password": "mauvais"})
        response = client.post("/admin/login/", {"username": "redaction", "password": "mot-de-passe-solide"})
        assert response.status_code == 302


def png_bytes(width, height):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(client, content, name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/images/add/",
        {"title": "Photo", "file": SimpleUploadedFile(name, content, content_type="image/png"), "collection": 1},
    )


@pytest.mark.django_db
def test_oversize_image_upload_is_refused_in_french(client, editor):
    from wagtail.images import get_image_model

    client.force_login(editor)
    content = png_bytes(300, 300)
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=len(content) - 1):
        response = upload_image(client, content)
    assert response.status_code == 200
    assert "Ce fichier est trop gros" in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_image_with_too_many_pixels_is_refused_in_french(client, editor):
    from wagtail.images import get_image_model

    client.force_login(editor)
    with override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100 * 100):
        response = upload_image(client, png_bytes(200, 200))
    assert response.status_code == 200
    assert "Ce fichier a un trop grand nombre de pixels" in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_image_within_limits_is_accepted(client, editor):
    from wagtail.images import get_image_model

    client.force_login(editor)
    response = upload_image(client, png_bytes(200, 200))
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1


def test_request_body_limit_is_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


def test_client_ip_trusts_only_our_own_proxy(rf):
    from config.security import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "127.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The first entry was written by the client and could be anything.
        assert client_ip(request) == "203.0.113.7"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.2")) == "198.51.100.2"


def test_rate_limits_and_lockout_use_the_visitor_address():
    from django.conf import settings

    assert settings.RATELIMIT_IP_META_KEY == "config.security.client_ip"
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.security.client_ip"
    assert settings.RATELIMIT_USE_CACHE == "default"


@pytest.mark.django_db
def test_every_public_page_of_the_demo_works_under_the_strict_policy(client):
    """No inline script or event handler anywhere in the public pages: script-src 'self' is enough."""
    from django.core.management import call_command

    call_command("load_demo")
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(paths) > 5
    offending = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200 and "text/html" in response["Content-Type"], path
        html = response.content.decode()
        problems = inline_executable_scripts(html) + re.findall(r"\son[a-z]+=\"", html)
        problems += re.findall(r"<[^>]+(?:href|src)=\"https?://(?!testserver|localhost)[^\"]+\.(?:js|css)\"", html)
        if problems:
            offending[path] = problems
    assert offending == {}
