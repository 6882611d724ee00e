"""``python manage.py funders_report (--action ID | --year YYYY) --output FILE.zip``: the funder's pack."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from funders.models import FundedAction
from funders.pack import write_pack


class Command(BaseCommand):
    help = "Écrit le dossier pour les financeurs (ZIP : chiffres XLSX, synthèse PDF, feuilles d'émargement)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--action", type=int, help="Identifiant de l'action financée.")
        which.add_argument("--year", type=int, help="Toutes les actions de cette année, chiffres de l'année seule.")
        parser.add_argument("--output", required=True, help="Fichier ZIP à écrire.")

    def handle(self, *args, action=None, year=None, output=None, **options):
        if action is not None:
            actions = list(FundedAction.objects.filter(pk=action).prefetch_related("funders", "targets"))
            if not actions:
                raise CommandError(f"Aucune action financée n'a l'identifiant {action}.")
        else:
            actions = list(
                FundedAction.objects.filter(Q(first_year__lte=year) & Q(last_year__gte=year)).prefetch_related(
                    "funders", "targets"
                )
            )
            if not actions:
                raise CommandError(f"Aucune action financée en {year}.")
        with open(output, "wb") as file:
            names = write_pack(actions, file, year=year)
        self.stdout.write(f"{output} : {len(names)} fichiers pour {len(actions)} action(s).")
