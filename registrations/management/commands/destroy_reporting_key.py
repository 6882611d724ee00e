"""``python manage.py destroy_reporting_key YEAR``: once the year's reports are filed, no new link between people."""

from django.core.management.base import BaseCommand

from registrations.statistics import destroy_reporting_key


class Command(BaseCommand):
    help = (
        "Détruit la clé de l'année de bilan : les statistiques déjà copiées gardent leurs chiffres, "
        "mais plus aucune nouvelle présence ne pourra être rapprochée d'une personne."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Année dont les bilans sont rendus, par exemple 2025.")

    def handle(self, *args, year, **options):
        if destroy_reporting_key(year):
            self.stdout.write(f"Clé de {year} détruite.")
        else:
            self.stdout.write(f"La clé de {year} était déjà détruite (ou n'existait pas) : rien à faire.")
