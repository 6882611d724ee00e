"""Time and memory of the registration exports (CSV and XLSX) on a large event.

Creates a throwaway database the way the test runner does (``test_<name>`` on
PostgreSQL, in memory on SQLite), fills one event with N registrations and
three custom questions, then exports them through the same code as the admin
buttons and the command (``registrations.exports``):

- wall time of each export, measured without tracing;
- peak Python memory of each export (``tracemalloc``, a second run);
- the process's peak resident memory (``resource.getrusage`` maxrss) at the end.

Usage (from the project root):

    .venv/bin/python benchmarks/export_registrations.py [--count 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/export_registrations.py

Settings come from DJANGO_SETTINGS_MODULE (default ``config.settings.test``)
and DATABASE_URL, like the rest of the project. Results are recorded in
docs/performance.md, section "Exports".
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def build_event(count):
    """One event with three questions and ``count`` registrations (bulk inserted)."""
    import datetime

    from django.utils import timezone
    from wagtail.models import Page, Site

    from events.models import EventIndexPage, EventPage
    from home.models import HomePage
    from registrations.models import Registration, RegistrationQuestion, RegistrationStatus

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-bench"))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    event = agenda.add_child(
        instance=EventPage(
            title="Grand forum des associations",
            slug="forum",
            start=timezone.now() - datetime.timedelta(days=1),
            capacity=count,
            registration_mode="open",
        )
    )
    questions = [
        RegistrationQuestion.objects.create(page=event, label="Régime alimentaire", sort_order=1),
        RegistrationQuestion.objects.create(
            page=event, label="Ateliers", field_type="multiple_choice", choices="Vélo\nJardin\nNumérique", sort_order=2
        ),
        RegistrationQuestion.objects.create(page=event, label="Besoin d'accessibilité", field_type="checkbox"),
    ]
    statuses = [RegistrationStatus.CONFIRMED] * 8 + [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
    batch = []
    for index in range(count):
        batch.append(
            Registration(
                event=event,
                first_name=f"Prénom{index}" if index % 500 else '=HYPERLINK("x")',
                last_name=f"Nom-{index:05d}",
                email=f"personne{index}@example.org",
                organisation="Centre social des Grésilles",
                phone="03 80 00 00 00",
                status=statuses[index % len(statuses)],
                checked_in_at=timezone.now() if index % 3 == 0 else None,
                answers={
                    questions[0].answer_key: "végétarien",
                    questions[1].answer_key: ["Vélo", "Numérique"],
                    questions[2].answer_key: index % 7 == 0,
                },
            )
        )
        if len(batch) == 2000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)
    return event


def run_export(kind, event, directory):
    from registrations.exports import registration_rows, write_csv, write_xlsx

    target = Path(directory) / f"export.{kind}"
    if kind == "csv":
        with open(target, "w", encoding="utf-8", newline="") as file:
            write_csv(registration_rows(event), file)
    else:
        with open(target, "wb") as file:
            write_xlsx(registration_rows(event), file)
    return target.stat().st_size


def measure(kind, event, directory):
    started = time.perf_counter()
    size = run_export(kind, event, directory)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run_export(kind, event, directory)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        event = build_event(args.count)
        created_in = time.perf_counter() - started
        print(f"database: {connection.vendor}, {args.count} registrations created in {created_in:.1f} s")
        with tempfile.TemporaryDirectory() as directory:
            for kind in ("csv", "xlsx"):
                seconds, peak, size = measure(kind, event, directory)
                print(
                    f"{kind}: {seconds:.2f} s, peak Python memory {peak / 1024 / 1024:.1f} MiB, "
                    f"file {size / 1024 / 1024:.1f} MiB"
                )
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"process peak resident memory (whole run, Django and data creation included): {maxrss / 1024:.0f} MiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
