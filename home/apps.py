from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The association's own pages: home, content pages, news, partners, directory, settings."""

    name = "home"
    verbose_name = "Site de l'association"

    def ready(self):
        """Every page, snippet and setting edited in Wagtail cleans its text fields with ``core.text``.

        Wagtail builds its editor forms from a registry of form-field overrides:
        the exact ``CharField``, ``TextField`` and ``EmailField`` get the cleaning
        fields of ``core.forms``, over what Wagtail registered (the auto-growing
        text area is kept). Choices, slugs and rich text keep their own fields.
        """
        from wagtail.admin.forms.models import register_form_field_override, registry

        from core.forms import TEXT_FORM_FIELDS

        for db_field_class, form_class in TEXT_FORM_FIELDS.items():
            override = {**registry.values_by_exact_class.get(db_field_class, {}), "form_class": form_class}
            register_form_field_override(db_field_class, override=override, exact_class=True)
