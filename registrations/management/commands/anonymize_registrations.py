"""Erase the personal data of registrations to past events, and old contact-form messages, once retention is over.

Also deletes the outbox's sent (and finally failed) e-mails older than
``OUTBOX_RETENTION_DAYS``: they hold addresses, names and links too. The
eligibility proofs of anonymised registrations go with them
(``services.anonymize``), and any proof file left on the private disk without
its row (an upload cut short) is removed (``proofs.sweep_orphan_files``).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from home import contact
from outbox import delivery as outbox
from registrations import proofs, services
from registrations.models import Registration


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des inscriptions aux événements terminés depuis plus de "
        "REGISTRATION_RETENTION_DAYS jours (statut, places et présence sont conservés pour les bilans), "
        "et supprime les messages du formulaire de contact reçus depuis plus de CONTACT_RETENTION_DAYS jours "
        "(les justificatifs de tarif des inscriptions anonymisées sont effacés avec elles)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien effacer.")
        parser.add_argument("--days", type=int, default=None, help="Durée de conservation (jours) à appliquer.")
        parser.add_argument(
            "--contact-days", type=int, default=None, help="Durée de conservation des messages de contact (jours)."
        )

    def handle(self, *args, dry_run=False, days=None, contact_days=None, **options):
        days = settings.REGISTRATION_RETENTION_DAYS if days is None else days
        contact_days = settings.CONTACT_RETENTION_DAYS if contact_days is None else contact_days
        if days < 0 or contact_days < 0:
            # A negative period would reach into the future and erase people still expected.
            raise CommandError("La durée de conservation doit être un nombre de jours positif ou nul.")
        limit = timezone.now() - datetime.timedelta(days=days)
        # The booked unit is over at its end, or at its start when it has no end: the event's, or for a
        # series the booked date's (a later date's people are kept as long as their own date requires).
        event_ended = Q(event__end__lt=limit) | Q(event__end__isnull=True, event__start__lt=limit)
        date_ended = Q(occurrence__end__lt=limit) | Q(occurrence__end__isnull=True, occurrence__start__lt=limit)
        ended = (Q(occurrence__isnull=True) & event_ended) | (Q(occurrence__isnull=False) & date_ended)
        due = Registration.objects.filter(ended, anonymized_at__isnull=True)
        count = due.count()
        mail_days = settings.OUTBOX_RETENTION_DAYS
        mail_limit = timezone.now() - datetime.timedelta(days=mail_days)
        if dry_run:
            messages = contact.messages_due_for_purge(contact_days).count()
            self.stdout.write(
                f"Simulation : {count} inscription(s) seraient anonymisées "
                f"(événements terminés depuis plus de {days} jours)."
            )
            self.stdout.write(
                f"Simulation : {messages} message(s) de contact seraient supprimés "
                f"(reçus depuis plus de {contact_days} jours)."
            )
            self.stdout.write(
                f"Simulation : {outbox.purgeable_count(mail_limit)} e-mail(s) envoyé(s) seraient supprimés "
                f"(plus de {mail_days} jours)."
            )
            return
        for registration in due.iterator():
            services.anonymize(registration)
        self.stdout.write(f"{count} inscription(s) anonymisée(s) (événements terminés depuis plus de {days} jours).")
        messages = contact.purge_old_messages(contact_days)
        self.stdout.write(f"{messages} message(s) de contact supprimé(s) (reçus depuis plus de {contact_days} jours).")
        purged = outbox.purge(mail_limit)
        self.stdout.write(f"{purged} e-mail(s) envoyé(s) supprimé(s) (plus de {mail_days} jours).")
        orphans = proofs.sweep_orphan_files()
        self.stdout.write(f"{orphans} fichier(s) de justificatif sans inscription supprimé(s).")
