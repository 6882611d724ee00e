"""Admin login lockout (django-axes): per account and address, and per address alone.

django-axes counts failures per ``AXES_LOCKOUT_PARAMETERS``. Username+address
pairs alone never stop password spraying (a few guesses at each of many
accounts from one address); adding ``"ip_address"`` to the parameters would
lock the address at the same low limit and, worse, let one successful login
wipe every failure of that address, so that a sprayer holding one valid account
could go on for ever.

So the parameters stay username+address (a success resets only its own pair,
as a person who mistyped and then got it right expects), and this handler adds
a second limit: ``AXES_ADDRESS_FAILURE_LIMIT`` failures from one address,
whatever the accounts, within the cool-off time lock that address out like a
pair. Higher than the pair limit, because colleagues behind one office address
share it.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLockoutHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler plus a per-address limit (module docstring)."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # Report the pair's limit as reached: axes then locks out and answers as for a pair.
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request):
        """Failures from the request's address over every account, within the cool-off time."""
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
