from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search over every page type."""

    name = "search"
    verbose_name = "Recherche"
