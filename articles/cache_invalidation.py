"""What articles change in the pages the cache in front keeps (see core.cache_invalidation): the
condition pages list the articles about them and the trials recruiting for them, and the articles
index filters by condition."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Page

from articles.models import ArticleIndexPage, ArticlePage
from articles.signals import evidence_recorded, recruiting_trials_recorded
from conditions.models import ConditionPage
from core.cache_invalidation import cached_paths, forget, forget_what_shows, looked_up_once

# What a page's addresses are worked out from: its path in the tree and its type (for its own paths).
ADDRESS_FIELDS = ("url_path", "content_type")


@hooks.register("page_cache_dependents")
def pages_listing_condition(page):
    """A condition's title shows on the articles naming it and in the index's condition filter."""
    if isinstance(page, ConditionPage):
        # Only what their addresses take (core.cache_invalidation.cached_paths): an article has some
        # sixty columns, and this runs on every publish before the purge is sent.
        return [
            *page.articles.live().only(*ADDRESS_FIELDS),
            *ArticleIndexPage.objects.live().only(*ADDRESS_FIELDS),
        ]
    return []


@receiver(m2m_changed, sender=ArticlePage.conditions.through)
def on_article_conditions_change(sender, instance, action, pk_set, **kwargs):
    """Publishing an article with other conditions changes both the lists it joins and those it
    leaves. (Drafts keep their conditions in the revision, and change no list.)"""
    if action == "pre_clear":
        pk_set = set(instance.conditions.values_list("pk", flat=True))
    if kwargs["reverse"]:  # conditions.articles.add(...): the condition itself changed
        pk_set = {instance.pk}
    if action in ("pre_clear", "post_remove", "post_add") and pk_set:
        conditions = Page.objects.filter(pk__in=pk_set, live=True)
        site_roots = looked_up_once()
        forget({path for page in conditions for path in cached_paths(page, site_roots)})


@receiver(evidence_recorded)
def on_evidence_recorded(sender, article, **kwargs):
    """A retraction or a trial's new status, found by the daily check, shows wherever the article is listed."""
    if article.live:
        forget_what_shows(article)


@receiver(recruiting_trials_recorded)
def on_recruiting_trials_recorded(sender, condition, **kwargs):
    """The trials recruiting, and the date they were found, show on the condition page alone."""
    if condition.live:
        forget(set(cached_paths(condition)))
