"""The project package is also a small app: it owns cross-cutting operations code
(page cache purging, rendition warming, health check, security templates)."""

from django.apps import AppConfig


class CoursiveConfig(AppConfig):
    name = "config"
    label = "coursive_config"
    verbose_name = "Exploitation"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save
        from wagtail.images import get_image_model

        from config import cache, renditions, roles

        cache.connect_purge_signals()
        post_migrate.connect(roles.ensure_team_roles_after_migrate, dispatch_uid="config.roles.after_migrate")
        post_save.connect(
            renditions.queue_renditions_after_upload,
            sender=get_image_model(),
            dispatch_uid="config.renditions.after_upload",
        )
