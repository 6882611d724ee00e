from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The association's own pages: home, content pages, news, partners, directory, settings."""

    name = "home"
    verbose_name = "Site de l'association"
