"""Give every existing registration its attendees, without losing anyone.

The registrant becomes attendee 1 (name, e-mail and presence copied). Older
group bookings named nobody else: each extra seat becomes « Accompagnant·e N
de Prénom » + the registrant's last name (read together: « Accompagnant·e 2
de Camille Martin »), so that staff see the seat, can rename it and can still
cancel or check it in. A group checked in before keeps every seat present,
as the old figures counted it. Erased registrations get anonymous attendees.
"""

from django.db import migrations

BATCH = 500


def placeholder(position, first_name):
    # Kept here as text: a migration must not depend on code that may change (models.companion_placeholder).
    return f"Accompagnant·e {position} de {first_name}"


def create_attendees(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    Attendee = apps.get_model("registrations", "Attendee")
    batch = []
    for registration in Registration.objects.filter(attendees__isnull=True).order_by("pk").iterator(chunk_size=BATCH):
        anonymous = registration.anonymized_at is not None
        for position in range(1, max(registration.seats, 1) + 1):
            if anonymous:
                first_name, last_name, email = "Anonyme", "", ""
            elif position == 1:
                first_name, last_name = registration.first_name, registration.last_name
                email = registration.email
            else:
                first_name, last_name, email = placeholder(position, registration.first_name), registration.last_name, ""
            batch.append(
                Attendee(
                    registration_id=registration.pk,
                    position=position,
                    first_name=first_name[:100],
                    last_name=last_name[:100],
                    email=email,
                    checked_in_at=registration.checked_in_at,
                )
            )
        if registration.checked_in_at:
            Registration.objects.filter(pk=registration.pk).update(seats_present=registration.seats)
        if len(batch) >= BATCH:
            Attendee.objects.bulk_create(batch)
            batch = []
    Attendee.objects.bulk_create(batch)


def remove_attendees(apps, schema_editor):
    """Going back: the registrations keep their seats; the attendees' names are dropped with the table."""
    apps.get_model("registrations", "Attendee").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registrations", "0009_attendees")]

    operations = [migrations.RunPython(create_attendees, remove_attendees)]
