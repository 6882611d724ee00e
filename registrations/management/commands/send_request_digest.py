"""Queue the daily digest of pre-registration requests to review (cron-safe: once a day, whatever the runs)."""

from django.core.management.base import BaseCommand

from registrations.staff_notices import send_request_digest


class Command(BaseCommand):
    help = (
        "Envoie à l'équipe le récapitulatif des demandes d'inscription à valider, pour les événements "
        "qui l'ont choisi ; une seule fois par jour, même lancé plusieurs fois."
    )

    def handle(self, *args, **options):
        sent = send_request_digest()
        if sent is None:
            self.stdout.write("Le récapitulatif du jour a déjà été envoyé : rien de plus.")
        elif sent == 0:
            self.stdout.write("Aucune demande à valider : aucun récapitulatif envoyé.")
        else:
            self.stdout.write(f"Récapitulatif des demandes envoyé à {sent} adresse(s).")
