"""Django's e-mail backend for the whole site: every message goes to the outbox, none to the mail server.

``send_mail``, the contact form, password reset and Wagtail's notifications
all call ``EMAIL_BACKEND``; with this one the message is stored in the current
database transaction and delivered by the task queue through the real
transport, ``OUTBOX_DELIVERY_BACKEND``. So no request ever waits for SMTP.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

from outbox import delivery

logger = logging.getLogger(__name__)


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        """Queue the messages; returns how many were queued (all of them, or an exception)."""
        if not email_messages:
            return 0
        try:
            return len(delivery.queue_messages(email_messages))
        except Exception:
            if not self.fail_silently:
                raise
            logger.exception("E-mail(s) could not be queued")
            return 0
