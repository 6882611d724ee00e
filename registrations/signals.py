"""Signals other parts of the site listen to (e.g. the page cache purges an event's pages)."""

from django.dispatch import Signal

# Sent after commit whenever the seats of an event change (registration, cancellation,
# approval, promotion, capacity change). Keyword argument: ``event`` (the EventPage).
availability_changed = Signal()
