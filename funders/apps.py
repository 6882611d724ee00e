from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundersConfig(AppConfig):
    """Funded actions: their objectives, their figures and the pack sent to the funder."""

    name = "funders"
    verbose_name = _("Actions financées")
    default_auto_field = "django.db.models.BigAutoField"
