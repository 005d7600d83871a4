"""The RSS feed of articles newly added to the site, at /articles/feed/."""

from django.contrib.syndication.views import Feed
from django.utils.html import strip_tags


class LatestArticlesFeed(Feed):
    items_shown = 20

    def get_object(self, request, index):
        # A feed instance serves one request (see ArticleIndexPage.feed); links need it to find the site.
        self.request = request
        return index

    def title(self, index):
        return index.title

    # Full addresses on the site's own host: Django would otherwise prefix the Host the request
    # named, and the cache in front serves the feed to every visitor.
    def link(self, index):
        return index.get_full_url(self.request)

    def feed_url(self, index):
        return index.get_full_url(self.request) + "feed/"

    def description(self, index):
        return strip_tags(index.introduction) or f"The newest of the articles on {index.title}."

    def items(self, index):
        return index.articles().defer_streamfields().order_by("-first_published_at")[: self.items_shown]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return f"{article.get_kind_display()}. {article.summary}"

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_pubdate(self, article):
        return article.first_published_at

    def item_author_name(self, article):
        return article.authors or article.source

    def item_categories(self, article):
        return [article.get_kind_display()]
