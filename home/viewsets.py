"""A snippet viewset that says « Ajouter un lieu », not Wagtail's French « Ajouter un(e) lieu »."""

from wagtail.snippets.views.snippets import SnippetViewSet


class FrenchSnippetViewSet(SnippetViewSet):
    """``add_item_label``: the add button's text with the right article (« Ajouter une catégorie »)."""

    add_item_label = None

    def get_index_view_kwargs(self, **kwargs):
        if self.add_item_label:
            kwargs["add_item_label"] = self.add_item_label
        return super().get_index_view_kwargs(**kwargs)
