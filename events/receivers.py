"""Signals of the agenda: a published series gets its dates (``events.occurrences``)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from events.models import EventPage
from events.occurrences import sync_occurrences


@receiver(page_published)
def sync_series_dates(sender, instance, **kwargs):
    """Every way of publishing (editor, scheduled publication, script) keeps the dates in step."""
    if isinstance(instance, EventPage) and instance.is_series:
        sync_occurrences(instance)
