"""Send the reminder e-mail to confirmed registrants of events (or dates of a series) starting soon.

Cron-safe and idempotent: ``reminder_sent_at`` is claimed by a conditional update.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.models import EventStatus, OccurrenceStatus
from registrations.emails import queue_email
from registrations.models import Registration, RegistrationStatus


class Command(BaseCommand):
    help = "Envoie le rappel aux personnes inscrites (confirmées) aux événements qui commencent bientôt."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=48, help="Fenêtre en heures avant le début de l'événement (48 par défaut)."
        )

    def handle(self, *args, hours, **options):
        now = timezone.now()
        until = now + datetime.timedelta(hours=hours)
        # The booked unit's start: the event's, or for a series the date's (each date has its reminder).
        single = Q(occurrence__isnull=True, event__start__gt=now, event__start__lte=until)
        dated = Q(occurrence__start__gt=now, occurrence__start__lte=until) & ~Q(
            occurrence__status=OccurrenceStatus.CANCELLED
        )
        due = (
            Registration.objects.filter(
                status=RegistrationStatus.CONFIRMED,
                reminder_sent_at__isnull=True,
                anonymized_at__isnull=True,
                event__live=True,
            )
            .filter(single | dated)
            .exclude(
                # Signed up by phone without an address; or no "see you soon" for a date that no longer holds.
                Q(email="") | Q(event__status__in=[EventStatus.CANCELLED, EventStatus.POSTPONED])
            )
        )
        sent = 0
        for registration in due.select_related("event", "occurrence"):
            with transaction.atomic():
                # The conditional update claims the reminder: two overlapping runs never both send it.
                claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                )
                if claimed:
                    queue_email(registration, "reminder")
                    sent += 1
        self.stdout.write(f"{sent} rappel(s) envoyé(s) pour les événements des {hours} prochaines heures.")
