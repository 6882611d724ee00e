"""Tell registrants when staff cancel or move an event (on publication, once per change)."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from registrations.models import ACTIVE_STATUSES, EventChangeSnapshot


@receiver(page_published)
def notify_registrants_of_event_change(sender, instance, **kwargs):
    """Compare the published date, place and status with what registrants were last told.

    Cancelled wins over everything; postponed (no new date yet) comes next; a new
    date or a new place is announced as a move, with the updated calendar file.
    """
    from events.models import EventPage
    from registrations.emails import queue_email

    if not isinstance(instance, EventPage):
        return
    with transaction.atomic():
        snapshot = EventChangeSnapshot.objects.select_for_update().filter(event_id=instance.pk).first()
        if snapshot is None:
            # Nobody has registered yet (register() records the first snapshot).
            return
        moved = (snapshot.start, snapshot.end, snapshot.venue_id) != (instance.start, instance.end, instance.venue_id)
        if instance.status == "cancelled":
            kind = "event_cancelled" if snapshot.status != "cancelled" else None
        elif instance.status == "postponed" and snapshot.status != "postponed":
            kind = "event_postponed"
        elif moved:
            kind = "event_moved"
        else:
            kind = None
        snapshot.status, snapshot.start, snapshot.end = instance.status, instance.start, instance.end
        snapshot.venue_id = instance.venue_id
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
