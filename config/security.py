"""Security headers the settings cannot express: Content-Security-Policy and Permissions-Policy.

Two policies, because the Wagtail admin still ships a few inline ``<script>``
blocks (date pickers, inline panels) and needs to frame its own previews:

- the public site gets a strict policy: scripts only from our own origin, no
  framing at all, no plugins; inline *styles* are allowed because rich text and
  small templates use ``style=""`` attributes and style injection is low risk;
- paths under ``CSP_LOOSE_PATH_PREFIXES`` (the admin) also allow inline scripts
  and framing by the same origin.

No nonces: public pages are served from the page cache (config/cache.py), and a
nonce stored in a cached page would be shared by every visitor.
"""

from django.conf import settings

# Each directive maps to its sources. Kept as data so that tests and the docs can read it.
PUBLIC_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    # Video embeds (PeerTube, YouTube, Vimeo…) placed by editors through Wagtail embeds.
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ADMIN_POLICY = {
    **PUBLIC_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def build_policy(directives, extra_sources=()):
    """Serialise a directive dict; ``extra_sources`` (e.g. the media host) go to img-src and media-src."""
    parts = []
    for directive, sources in directives.items():
        values = list(sources)
        if directive in {"img-src", "media-src"}:
            values += [source for source in extra_sources if source not in values]
        parts.append(f"{directive} {' '.join(values)}")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response that lacks them."""

    def __init__(self, get_response):
        self.get_response = get_response
        extra = list(getattr(settings, "CSP_EXTRA_MEDIA_SOURCES", []))
        self.public_policy = build_policy(PUBLIC_POLICY, extra)
        self.admin_policy = build_policy(ADMIN_POLICY, extra)
        self.loose_prefixes = tuple(getattr(settings, "CSP_LOOSE_PATH_PREFIXES", ("/admin/", "/django-admin/")))

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.admin_policy if request.path.startswith(self.loose_prefixes) else self.public_policy
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the address our own reverse proxy saw.

    Behind nginx (``TRUSTED_PROXY_COUNT=1``) the last X-Forwarded-For entry is the
    one nginx appended; earlier entries are client-supplied and cannot be trusted.
    """
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes lockout page: French, status 429, says how long to wait (AXES_LOCKOUT_CALLABLE)."""
    from django.shortcuts import render

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(request, "config/lockout.html", {"cooloff_minutes": minutes}, status=429)
    response["Cache-Control"] = "no-store"
    return response
