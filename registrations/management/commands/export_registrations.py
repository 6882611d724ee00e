"""Export one event's registrations as CSV or XLSX (the same rows as the admin buttons)."""

from django.core.management.base import BaseCommand, CommandError

from events.models import EventPage
from registrations.exports import iter_csv, registration_rows, write_csv, write_xlsx
from registrations.models import RegistrationStatus


class Command(BaseCommand):
    help = "Exporte les inscriptions d'un événement (CSV ou XLSX). EVENT : identifiant ou slug de la page."

    def add_arguments(self, parser):
        parser.add_argument("event", help="Identifiant numérique ou slug de la page de l'événement.")
        parser.add_argument("--format", default="csv", help="csv (défaut) ou xlsx.")
        parser.add_argument(
            "--status",
            help="Seulement ce statut : " + ", ".join(RegistrationStatus.values) + ".",
        )
        parser.add_argument("--output", help="Fichier à écrire. Sans lui, le CSV est écrit sur la sortie standard.")
        parser.add_argument(
            "--date", type=int, default=None, help="Pour une série : seulement cette date (son identifiant)."
        )

    def handle(self, *args, event, format, status, output, date=None, **options):
        event_page = self.find_event(event)
        occurrence = None
        if date is not None:
            occurrence = event_page.occurrences.filter(pk=date).first()
            if occurrence is None:
                raise CommandError(f"« {event_page.title} » n'a pas de date d'identifiant {date}.")
        if format not in ("csv", "xlsx"):
            raise CommandError(f"Format inconnu : « {format} ». Formats possibles : csv, xlsx.")
        if status is not None and status not in RegistrationStatus.values:
            raise CommandError(
                f"Statut inconnu : « {status} ». Statuts possibles : {', '.join(RegistrationStatus.values)}."
            )
        rows = registration_rows(event_page, status=status, occurrence=occurrence)
        if format == "xlsx":
            if not output:
                raise CommandError("Le format XLSX a besoin d'un fichier : ajoutez --output FICHIER.xlsx.")
            with open(output, "wb") as file:
                write_xlsx(rows, file)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as file:
                write_csv(rows, file)
        else:
            for chunk in iter_csv(rows):
                self.stdout.write(chunk, ending="")
        if output:
            self.stderr.write(f"Export écrit dans {output}.")

    def find_event(self, reference):
        events = EventPage.objects.all()
        event = events.filter(pk=int(reference)).first() if reference.isdigit() else None
        event = event or events.filter(slug=reference).first()
        if event is None:
            raise CommandError(f"Aucun événement ne correspond à « {reference} » (identifiant ou slug).")
        return event
