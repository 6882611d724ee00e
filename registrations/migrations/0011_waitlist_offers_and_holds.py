"""Offers from the waiting list and held seats (offers, addresses to confirm): fields, statuses, constraint.

Existing registrations keep their meaning: none holds seats or has a
deadline, so every figure stays as it was. People already on a waiting list
were told by e-mail that a freed seat would be confirmed to them
automatically; their events keep that promise (``waitlist_offers`` off, in the
row and in the latest revision, which the editor opens next), while every
other event, and every new one, makes offers (the field's default).
"""

from django.db import migrations, models


def keep_the_promise_to_people_waiting(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    Registration = apps.get_model("registrations", "Registration")
    Revision = apps.get_model("wagtailcore", "Revision")
    waiting_events = Registration.objects.filter(status="waitlisted").values_list("event_id", flat=True).distinct()
    events = EventPage.objects.filter(pk__in=list(waiting_events))
    for event in events:
        if event.latest_revision_id:
            revision = Revision.objects.filter(pk=event.latest_revision_id).first()
            if revision is not None and isinstance(revision.content, dict):
                revision.content["waitlist_offers"] = False
                revision.save(update_fields=["content"])
    events.update(waitlist_offers=False)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0009_waitlist_offers_and_holds'),
        ('registrations', '0010_attendees_from_registrations'),
        ('wagtailcore', '0094_alter_page_locale'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='registration',
            name='one_active_registration_per_event_and_email',
        ),
        migrations.AddField(
            model_name='registration',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text="Pour une place proposée ou une adresse à confirmer : passé ce moment, la place retenue revient à la liste d'attente ou au public.", null=True, verbose_name='réponse attendue avant le'),
        ),
        migrations.AddField(
            model_name='registration',
            name='holds_seats',
            field=models.BooleanField(default=False, help_text="Vrai quand une place proposée ou une adresse à confirmer retient des places jusqu'à son échéance.", verbose_name='places retenues'),
        ),
        migrations.AddField(
            model_name='registration',
            name='offer_reminder_sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='rappel de la proposition envoyé le'),
        ),
        migrations.AddField(
            model_name='registration',
            name='verified_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='adresse confirmée le'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='status',
            field=models.CharField(choices=[('pending', 'En attente de validation'), ('confirmed', 'Confirmée'), ('waitlisted', "Sur liste d'attente"), ('offered', 'Place proposée, réponse attendue'), ('unverified', 'Adresse e-mail à confirmer'), ('cancelled', 'Annulée'), ('rejected', 'Refusée')], db_index=True, max_length=20, verbose_name='statut'),
        ),
        migrations.AddIndex(
            model_name='registration',
            index=models.Index(fields=['status', 'expires_at'], name='registration_expiring'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'confirmed', 'waitlisted', 'offered', 'unverified']), models.Q(('email', ''), _negated=True)), fields=('event', 'email'), name='one_active_registration_per_event_and_email'),
        ),
        migrations.RunPython(keep_the_promise_to_people_waiting, migrations.RunPython.noop),
    ]
