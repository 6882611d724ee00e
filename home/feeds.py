"""RSS feed of the news, built on Django's syndication framework.

Texts are cleaned on the way out (``core.text``): XML refuses control
characters, and one in an old article's title made the whole feed fail.
"""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

from core.text import clean_line, clean_text


class NewsFeed(Feed):
    """The latest articles of one news index page, newest first."""

    limit = 20

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return _("%(site)s — actualités") % {"site": "La Coursive Boutaric"}

    def link(self):
        return self.index_page.url

    def description(self):
        return _("Les dernières actualités de La Coursive Boutaric.")

    def items(self):
        return self.index_page.articles()[: self.limit]

    def item_title(self, item):
        return clean_line(item.title)

    def item_description(self, item):
        return clean_text(item.summary or item.search_description)

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))

    def item_author_name(self, item):
        return clean_line(item.author) or None

    def item_categories(self, item):
        return [clean_line(tag.name) for tag in item.tags.all()]
