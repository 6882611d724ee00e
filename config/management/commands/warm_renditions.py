"""Create, for every image, the renditions the templates use, so no visitor waits for them."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from config.renditions import template_filter_specs, warm_image


class Command(BaseCommand):
    help = "Crée à l'avance les déclinaisons d'images utilisées par les gabarits (idempotent)."

    def handle(self, *args, **options):
        specs = template_filter_specs()
        images = get_image_model().objects.order_by("pk")
        count = 0
        for image in images.iterator():
            count += warm_image(image, specs)
        self.stdout.write(f"{images.count()} image(s), {len(specs)} format(s), {count} déclinaison(s) prêtes.")
