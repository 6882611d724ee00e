"""Tell registrants when staff cancel or move an event (on publication, once per change)."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from registrations.models import ACTIVE_STATUSES, EventChangeSnapshot


@receiver(page_published)
def notify_registrants_of_event_change(sender, instance, **kwargs):
    """Compare the published date and status with what registrants were last told."""
    from events.models import EventPage
    from registrations.emails import queue_email

    if not isinstance(instance, EventPage):
        return
    with transaction.atomic():
        snapshot = EventChangeSnapshot.objects.select_for_update().filter(event_id=instance.pk).first()
        if snapshot is None:
            # Nobody has registered yet (register() records the first snapshot).
            return
        if instance.status == "cancelled" and snapshot.status != "cancelled":
            kind = "event_cancelled"
        elif instance.status != "cancelled" and (snapshot.start != instance.start or snapshot.end != instance.end):
            kind = "event_moved"
        else:
            kind = None
        snapshot.status, snapshot.start, snapshot.end = instance.status, instance.start, instance.end
        snapshot.save()
        if kind:
            for registration in instance.registrations.filter(status__in=ACTIVE_STATUSES, anonymized_at__isnull=True):
                queue_email(registration, kind)


@receiver(page_published)
def promote_waitlist_after_publication(sender, instance, **kwargs):
    """An editor who raises the capacity in the page editor frees seats: fill them from the waiting list.

    Lowering it never touches confirmed registrations; the service only ever promotes.
    """
    from django.utils import timezone

    from events.models import EventPage
    from registrations import services
    from registrations.models import RegistrationStatus

    if not isinstance(instance, EventPage) or instance.status != "scheduled" or instance.start <= timezone.now():
        return
    if instance.registrations.filter(status=RegistrationStatus.WAITLISTED).exists():
        services.promote_waitlist(instance)
