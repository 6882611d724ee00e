"""Build the demo site from the association's public facts. Idempotent.

The demo is the site's essential structure (``setup_site``) plus fictitious
content: news, members, partners, events and registrants.
"""

import logging

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (sans effet s'il est déjà chargé)."

    def handle(self, *args, **options):
        from events import demo as events_demo
        from home import demo as home_demo
        from registrations import demo as registrations_demo

        # Wagtail logs every page created and published: fifty lines of noise for a newcomer's `make run`.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                site = home_demo.load()  # the structure of setup_site, then the association's pages
                events_demo.load(site)
                registrations_demo.load(site)
        finally:
            wagtail_log.setLevel(level)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
