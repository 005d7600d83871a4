"""Articles as an editor adds them below the articles index."""

from django.utils.text import slugify

from articles.models import ArticlePage


def add_article(article_index, conditions, *, title, publish=True, **fields):
    fields.setdefault("external_url", f"https://example.org/{slugify(title)}")  # one address, one article
    fields.setdefault("kind", "news")
    article = ArticlePage(title=title, summary=f"Summary of {title}.", live=publish, **fields)
    article.conditions = conditions
    article_index.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article
