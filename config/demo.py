"""The demo site: the essential structure with the demo's texts, then each app's demo content.

Built from the association's public facts (``shared/content``); idempotent.
The order follows the layers: the association's pages first, then the agenda,
then registrations on its events, then the funded actions
(``funders/demo.py``) with their past events.
"""

import os

from config import structure
from events import demo as events_demo
from funders import demo as funders_demo
from home import demo as home_demo
from registrations import demo as registrations_demo


def load():
    """Build the demo; returns the default Site."""
    built = structure.build(
        # `make run` serves here: absolute URLs (sitemap, feeds, e-mails) work on the demo site.
        hostname="127.0.0.1",
        port=int(os.environ.get("PORT") or 8000),
        bodies=home_demo.LEGAL_BODIES,
    )
    site = home_demo.load(built)
    events_demo.load(site)
    registrations_demo.load(site)
    funders_demo.load(site)
    return site
