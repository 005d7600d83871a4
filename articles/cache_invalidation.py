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
from core.cache_invalidation import cached_paths, forget, forget_what_shows


@hooks.register("page_cache_dependents")
def pages_listing_condition(page):
    """A condition's title shows on the articles naming it and in the index's condition filter."""
    if isinstance(page, ConditionPage):
        return [*page.articles.live(), *ArticleIndexPage.objects.live()]
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
        forget({path for page in conditions for path in cached_paths(page)})


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
