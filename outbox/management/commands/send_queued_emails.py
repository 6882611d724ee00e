"""Give a new delivery task to queued e-mails whose task was lost (cron-safe, idempotent)."""

from django.core.management.base import BaseCommand

from outbox import delivery


class Command(BaseCommand):
    help = (
        "Relance les e-mails en attente dont la tâche d'envoi s'est perdue (worker arrêté en pleine tâche, "
        "file vidée) ; avec les tâches immédiates (développement), envoie aussi les nouvelles tentatives dues. "
        "Sans effet sur les e-mails dont la tâche attend encore dans la file."
    )

    def handle(self, *args, **options):
        count = delivery.requeue_lost()
        self.stdout.write(f"{count} e-mail(s) relancé(s).")
