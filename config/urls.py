"""URL map: admin, documents, sitemap, robots, feeds and app routes, then Wagtail's page tree."""

import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.bench import floor
from config.health import health
from config.password_reset import RateLimitedPasswordResetView
from registrations.admin.proofs import ProofDownloadView

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's admin URLs: its password reset, rate-limited (same URL and name).
    path("admin/password_reset/", RateLimitedPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    # Before Wagtail's admin URLs too: a proof is refused (403) to anyone without the registrations permission,
    # signed in or not, where the admin would send an anonymous visitor to its login page.
    path("admin/justificatifs/<int:pk>/", ProofDownloadView.as_view(), name="registration_proof"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sante/", health, name="health"),
    path("", include("home.urls")),
    path("", include("events.urls")),
    path("", include("registrations.urls")),
    path("recherche/", include("search.urls")),
]

if os.environ.get("BENCHMARK_FLOOR"):
    urlpatterns.append(path("bench/floor/", floor, name="bench_floor"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
