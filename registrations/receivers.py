"""Tell registrants when staff cancel or move an event (once per change); remove the files of deleted proofs."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from events.models import EventPage, EventStatus
from registrations import proofs, services
from registrations.emails import queue_email
from registrations.models import EligibilityProof, EventChangeSnapshot, RegistrationStatus, registrations_to_notify


@receiver(page_published)
def notify_registrants_of_event_change(sender, instance, **kwargs):
    """Compare the published date, place and status with what registrants were last told.

    ``EventChangeSnapshot.notice_kind`` decides which e-mail (the same rule
    the editor's confirmation counts with); the snapshot then holds the new state.
    """
    if not isinstance(instance, EventPage):
        return
    with transaction.atomic():
        snapshot = EventChangeSnapshot.objects.select_for_update().filter(event_id=instance.pk).first()
        if snapshot is None:
            # Nobody has registered yet (register() records the first snapshot).
            return
        kind = snapshot.notice_kind(instance)
        snapshot.status, snapshot.start, snapshot.end = instance.status, instance.start, instance.end
        snapshot.venue_id = instance.venue_id
        snapshot.save()
        if kind:
            for registration in registrations_to_notify(instance):
                queue_email(registration, kind)


@receiver(page_published)
def promote_waitlist_after_publication(sender, instance, **kwargs):
    """An editor who raises the capacity in the page editor frees seats: fill them from the waiting list.

    Lowering it never touches confirmed registrations; the service only ever promotes.
    """
    if (
        not isinstance(instance, EventPage)
        or instance.status != EventStatus.SCHEDULED
        or instance.start <= timezone.now()
    ):
        return
    if instance.registrations.filter(status=RegistrationStatus.WAITLISTED).exists():
        services.promote_waitlist(instance)


@receiver(post_delete, sender=EligibilityProof)
def delete_proof_file(sender, instance, **kwargs):
    """However a proof's row goes (cancelled, anonymised, event deleted), its file leaves the private disk."""
    proofs.delete_file_after_commit(instance.file.name)
