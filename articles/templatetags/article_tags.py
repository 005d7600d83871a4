"""The reading list at the end of each condition page."""

from django import template

from articles.models import ArticlePage

register = template.Library()


@register.inclusion_tag("articles/includes/related_articles.html", takes_context=True)
def related_articles(context, condition):
    """The condition's live articles under its own heading; nothing at all when it has none."""
    return {
        "articles": ArticlePage.objects.live().for_condition(condition),
        "heading": condition.articles_heading,
        "request": context["request"],
        "chrome": context.get("chrome"),
    }
