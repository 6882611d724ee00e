"""Health check for load balancers and monitoring: can this instance reach its database and cache?

Answers JSON, never cached and never showing personal data or error details
(those go to the log):

- 200 ``{"status": "ok", ...}`` when everything answers;
- 200 ``{"status": "dégradé", ...}`` when only the cache is down: every app
  server shares the one Redis, and the site serves without it (pages built for
  each request, rate limits not enforced), so a 503 would make the load
  balancer pull every healthy server and turn a slower site into no site.
  Monitoring alerts on the ``status`` field;
- 503 ``{"status": "erreur", ...}`` when the database is down: this instance
  can serve nothing useful, the load balancer should send visitors elsewhere.

``message`` says in French what is down and what it means for visitors.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def check_cache():
    """Redis answers (``ping`` bypasses the backend's circuit breaker), and a value written is read back."""
    ping = getattr(cache, "ping", None)
    if ping is not None and not ping():
        return False
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}
# Checks whose failure leaves the site serving (slower, or with less protection): 200, "dégradé".
DEGRADING = {"cache"}


def down_messages():
    return {
        "database": _("Base de données injoignable : cette instance ne peut pas servir le site."),
        "cache": _(
            "Cache injoignable : le site fonctionne sans lui (pages recalculées à chaque visite, "
            "limites de fréquence des formulaires suspendues)."
        ),
    }


@never_cache
@require_GET
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "erreur"
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "erreur"
    down = [name for name, value in results.items() if value != "ok"]
    if not down:
        return JsonResponse({"status": "ok", **results})
    messages = down_messages()
    body = {
        "status": "dégradé" if set(down) <= DEGRADING else "erreur",
        **results,
        "message": " ".join(messages.get(name, _("%(name)s injoignable.") % {"name": name}) for name in down),
    }
    status = 200 if body["status"] == "dégradé" else 503
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
