"""Build the demo site from the association's public facts. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (sans effet s'il est déjà chargé)."

    def handle(self, *args, **options):
        from events import demo as events_demo
        from home import demo as home_demo
        from registrations import demo as registrations_demo

        with transaction.atomic():
            site = home_demo.load()
            events_demo.load(site)
            registrations_demo.load(site)
            home_demo.link_agenda(site)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
