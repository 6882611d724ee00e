"""Wagtail's admin password reset, with rate limits: each request sends an e-mail.

Without a limit, anyone could fill an editor's mailbox, or sweep addresses
from one machine. Counted per visitor address (``config.security.client_ip``,
through ``RATELIMIT_IP_META_KEY``) and per e-mail address typed, on every POST,
in the shared cache; when the cache is down the limits fail open
(``RATELIMIT_FAIL_OPEN``, logged by ``config/cache_backend.py``) and resets work
as before. A refused request shows the form again with a French message, status 429.
"""

import logging

from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from wagtail.admin.views.account import PasswordResetView

logger = logging.getLogger(__name__)

IP_RATE = "5/h"
EMAIL_RATE = "3/h"


def _email_key(group, request):
    return request.POST.get("email", "").strip().lower()[:254] or "empty"


def over_rate_limit(request):
    """Both counters move on every POST, so that neither limit can be dodged by tripping the other first."""
    by_ip = is_ratelimited(request, group="password_reset.ip", key="ip", rate=IP_RATE, method="POST", increment=True)
    by_email = is_ratelimited(
        request, group="password_reset.email", key=_email_key, rate=EMAIL_RATE, method="POST", increment=True
    )
    return by_ip or by_email


class RateLimitedPasswordResetView(PasswordResetView):
    """Wagtail's view (its form, templates and e-mail), refusing requests over the limits."""

    def post(self, request, *args, **kwargs):
        if not over_rate_limit(request):
            return super().post(request, *args, **kwargs)
        logger.warning("Password reset refused: rate limit reached")
        form = self.get_form()
        form.add_error(
            None,
            _(
                "Trop de demandes de réinitialisation du mot de passe. "
                "Par sécurité, réessayez dans une heure ou demandez à un administrateur."
            ),
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)
