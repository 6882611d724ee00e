"""Create the site's essential structure for a real deployment, without any demo content. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from config import structure
from home.structure import site_address_from_url


class Command(BaseCommand):
    help = (
        "Crée la structure indispensable du site : page d'accueil, agenda, lieu par défaut, catégories, "
        "contact, mentions légales, confidentialité, accessibilité, réglages et menu "
        "(sans contenu de démonstration ; sans effet si elle existe déjà)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hostname",
            help="Nom d'hôte public du site (par défaut celui de WAGTAILADMIN_BASE_URL). "
            "N'est appliqué que si le site est encore à l'adresse d'installation de Wagtail (localhost:80).",
        )
        parser.add_argument(
            "--port",
            type=int,
            help="Port public (par défaut 443 avec --hostname, sinon celui de WAGTAILADMIN_BASE_URL).",
        )

    def handle(self, *args, **options):
        hostname, port = options["hostname"], options["port"]
        if hostname:
            port = port or 443
        else:
            hostname, url_port = site_address_from_url(settings.WAGTAILADMIN_BASE_URL)
            port = port or url_port

        with transaction.atomic():
            built = structure.build(hostname=hostname, port=port)

        self.stdout.write(self.style.SUCCESS(f"Structure du site prête : {built.site.root_url}/"))
        self.stdout.write("Pages à compléter dans l'administration avant l'ouverture du site :")
        for page in (built.legal, built.privacy, built.accessibility):
            edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
            self.stdout.write(f"  - {page.title} : {edit_url}")
