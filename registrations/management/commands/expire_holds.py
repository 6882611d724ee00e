"""Release lapsed offers, address holds and unpaid online checkouts; remind people whose offer ends soon.

Cron-safe, idempotent.
"""

from django.core.management.base import BaseCommand

from registrations import services


class Command(BaseCommand):
    help = (
        "Libère les places proposées sans réponse, les adresses non confirmées et les paiements en ligne non "
        "reçus à temps (la place passe à la demande suivante), puis rappelle leur échéance aux personnes dont "
        "la proposition se termine bientôt."
    )

    def handle(self, *args, **options):
        released = services.expire_holds()
        reminded = services.send_offer_reminders()
        self.stdout.write(f"{released} place(s) retenue(s) libérée(s), {reminded} rappel(s) de proposition envoyé(s).")
