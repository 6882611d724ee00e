"""Staff tooling of the registrations in the Wagtail admin (listing, event pages, bulk actions, downloads, reports).

Django's admin autodiscovery imports this package at start-up: it stays empty on
purpose, and the modules inside are imported where they are needed.
"""
