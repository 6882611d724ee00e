"""Build the demo site from the association's public facts. Idempotent.

The demo is the site's essential structure (``setup_site``) plus fictitious
content: news, members, partners, events and registrants.
"""

import logging

from django.core.management.base import BaseCommand
from django.db import transaction

from config import demo


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (sans effet s'il est déjà chargé)."

    def handle(self, *args, **options):
        # Wagtail logs every page created and published: fifty lines of noise for a newcomer's `make run`.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                demo.load()  # the structure of setup_site, then each app's demo content
        finally:
            wagtail_log.setLevel(level)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
