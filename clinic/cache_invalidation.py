"""What each change of content invalidates in the page cache, and in the CDN when one is configured.

Pages say which other pages show them through `cache_dependents()`; changes that show on every
page (navigation, footer, site settings) invalidate the whole site.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from articles.models import ArticlePage
from clinic import page_cache
from clinic.models import ClinicSettings
from conditions.models import MedicalReview, MedicalReviewer
from enquiries.models import ConsultationPage

# Pages that list every page of the site.
SITE_LISTINGS = {"/sitemap.xml", "/search/"}


def cached_paths(page):
    """Every URL path a page answers on, e.g. an index page and its feed."""
    parts = page.get_url_parts()
    if parts is None:
        return []
    return [parts[2] + extra.lstrip("/") for extra in page.specific_deferred.get_cached_paths()]


def forget(paths):
    page_cache.invalidate_paths(paths)
    if settings.WAGTAILFRONTENDCACHE and paths:
        urls = sorted({site.root_url + path for site in Site.objects.all() for path in paths})
        transaction.on_commit(lambda: purge_urls_from_cache(urls))


def forget_site():
    page_cache.invalidate_site()
    if settings.WAGTAILFRONTENDCACHE:
        live = Page.objects.live().filter(depth__gt=1).specific(defer=True)
        forget({path for page in live for path in cached_paths(page)} | SITE_LISTINGS)


def shows_on_every_page(page):
    """Pages in the site chrome (clinic.site_chrome) appear on every page of the site: the main
    navigation, the consultation link and the footer's links."""
    if (page.show_in_menus and page.depth == 3) or isinstance(page, ConsultationPage):
        return True
    linked = ClinicSettings.objects.values_list(
        "questions_page_id", "editorial_policy_page_id", "privacy_page_id"
    )
    return any(page.pk in ids for ids in linked)


def page_changed(page):
    page = page.specific
    if shows_on_every_page(page):
        forget_site()
        return
    shown_on = [page, *getattr(page, "cache_dependents", list)()]
    forget({path for shown in shown_on for path in cached_paths(shown)} | SITE_LISTINGS)


@receiver(page_published)
@receiver(page_unpublished)
def on_publish_or_unpublish(sender, instance, **kwargs):
    page_changed(instance)


@receiver(post_page_move)
def on_move(sender, instance, url_path_before, **kwargs):
    # The old address must stop answering from the cache too.
    for site in Site.objects.select_related("root_page"):
        if url_path_before.startswith(site.root_page.url_path):
            forget({"/" + url_path_before.removeprefix(site.root_page.url_path)})
    page_changed(instance)


@receiver(page_slug_changed)
def on_slug_change(sender, instance, instance_before, **kwargs):
    forget(set(cached_paths(instance_before)))


@receiver(pre_delete)
def on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        page_changed(instance)


@receiver(post_save)
@receiver(post_delete)
def on_site_setting_change(sender, instance, **kwargs):
    if isinstance(instance, BaseSiteSetting):
        forget_site()


@receiver(post_save, sender=MedicalReviewer)
@receiver(pre_delete, sender=MedicalReviewer)
def on_reviewer_change(sender, instance, **kwargs):
    """The reviewer's profile, and the pages whose review names them."""
    pages = instance.reviewed_pages()
    forget({instance.get_absolute_url()} | {path for page in pages for path in cached_paths(page)})


@receiver(post_save, sender=MedicalReview)
def on_review_recorded(sender, instance, **kwargs):
    """A page shows its latest review; the reviewer's profile lists the pages they reviewed."""
    if instance.page.live:
        page_changed(instance.page)
    forget({instance.reviewer.get_absolute_url()})


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
