"""What each change of content purges from the HTTP cache in front of the site (Varnish or a CDN,
through Wagtail's frontend cache), when one is configured. Without one there is nothing to purge:
every page is rendered afresh.

One place turns "this changed" into "these addresses show it" (`showing`), from:
- Wagtail's reference index: which pages, snippets and settings use an image, a document, a
  snippet or a page (choosers, StreamField blocks, rich-text links), followed through snippets to
  the pages showing them;
- the page tree: a page's descendants show its title and address in their breadcrumbs, and the
  pages in the menu (the site chrome) show on every page;
- what each page type declares for itself with `cache_dependents()` (listings, feeds), and what
  other apps add with the `page_cache_dependents` hook (pages of theirs that list it);
- the site-wide listings (sitemap, search), which any page change may alter.
Apps whose own records change what pages show (a medical review, an article's conditions) connect
their receivers to `forget` and `page_changed` themselves.
"""

from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail import hooks
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from core import varnish
from core.models import ClinicSettings
from core.pages import SitePage

# Pages that list every page of the site.
SITE_LISTINGS = {"/sitemap.xml", "/search/"}


class EverywhereShown(Exception):
    """The change shows on every page: the whole site is purged."""


def cached_paths(page, site_roots=None):
    """Every URL path a page answers on, e.g. an index page and its feed. `site_roots` (from
    `looked_up_once`) lets the pages of one change share Wagtail's lookup of every site's root,
    which is otherwise a trip to the cache (Redis) per page."""
    parts = page.get_url_parts(site_roots)
    if parts is None:
        return []
    return [parts[2] + extra.lstrip("/") for extra in page.specific_deferred.get_cached_paths()]


def looked_up_once():
    """Where Wagtail keeps what it looks up to give pages their addresses (every site's root), for
    the pages of one change (its `cache_object`, any object taking attributes)."""
    return SimpleNamespace()


def forget(paths, *, softly=False):
    """Purge these URL paths, on every site, once the change is committed: a purge before it would
    let the cache in front fetch the page as it was again. Softly: Varnish serves what it has while
    it fetches the page anew (core/varnish.py), for a change published; otherwise at once."""
    if settings.WAGTAILFRONTENDCACHE and paths:
        # Every site's address as Wagtail keeps it for routing (in the cache): no query per purge.
        root_urls = {site.root_url for site in Site.get_site_root_paths()}
        urls = sorted({root_url + path for root_url in root_urls for path in paths})
        backends = varnish.softly(settings.WAGTAILFRONTENDCACHE) if softly else None
        transaction.on_commit(lambda: purge_urls_from_cache(urls, backends))


def forget_site(*, softly=False):
    """Purge every live page and the site-wide listings."""
    if settings.WAGTAILFRONTENDCACHE:
        live = Page.objects.live().filter(depth__gt=1).specific(defer=True)
        site_roots = looked_up_once()
        forget(
            {path for page in live for path in cached_paths(page, site_roots)} | SITE_LISTINGS, softly=softly
        )


def forget_what_shows(obj, *, with_descendants=False, softly=False):
    """Purge every page showing `obj` (a page, image, document, snippet or setting)."""
    if not settings.WAGTAILFRONTENDCACHE:
        return  # nothing in front keeps pages: no need to work out which show it
    try:
        paths = showing(obj, with_descendants=with_descendants)
    except EverywhereShown:
        forget_site(softly=softly)
    else:
        forget(paths, softly=softly)


def showing(obj, *, with_descendants=False, seen=None, site_roots=None):
    """The URL paths of the pages that show `obj`; raises EverywhereShown for site-wide changes.
    Pages and snippets found through the reference index show `obj` in their content, which the
    site chrome never shows (it has only titles and addresses)."""
    seen = set() if seen is None else seen
    site_roots = looked_up_once() if site_roots is None else site_roots
    identity = (type(obj)._meta.concrete_model, obj.pk)
    if identity in seen:
        return set()
    seen.add(identity)

    if isinstance(obj, BaseSiteSetting):
        raise EverywhereShown
    paths = set()
    if isinstance(obj, Page):
        page = obj.specific
        if not seen - {identity} and shows_on_every_page(page):
            raise EverywhereShown
        shown_on = [page, *dependents_of(page)]
        if with_descendants:
            shown_on += page.get_descendants().live().specific(defer=True)
        paths |= {path for shown in shown_on for path in cached_paths(shown, site_roots)} | SITE_LISTINGS
    else:
        # A snippet may have a page of its own (a reviewer's profile) and name the pages showing it.
        if hasattr(obj, "get_absolute_url"):
            paths.add(obj.get_absolute_url())
        dependents = getattr(obj, "cache_dependents", list)()
        paths |= {path for shown in dependents for path in cached_paths(shown, site_roots)}
    for source, _references in ReferenceIndex.get_references_to(obj).group_by_source_object():
        if isinstance(source, Page) and not source.live:
            continue
        paths |= showing(source, seen=seen, site_roots=site_roots)
    return paths


def dependents_of(page):
    """The pages listing `page`: those its type names, and those other apps add for it."""
    dependents = list(page.cache_dependents()) if isinstance(page, SitePage) else []
    for pages_listing in hooks.get_hooks("page_cache_dependents"):
        dependents += pages_listing(page)
    return dependents


def shows_on_every_page(page):
    """Pages in the site chrome appear on every page of the site: the main navigation, whether
    they are in it now or were before this change, pages whose type is linked from every page (the
    consultation link) and the footer's links."""
    before = getattr(page, "_cache_state_before", None) or {}
    in_menu_before = before.get("show_in_menus") and before.get("live")
    if (page.show_in_menus or in_menu_before) and page.depth == 3:
        return True
    if isinstance(page, SitePage) and page.shown_on_every_page:
        return True
    linked = ClinicSettings.objects.values_list(
        "questions_page_id", "editorial_policy_page_id", "privacy_page_id"
    )
    return any(page.pk in ids for ids in linked)


def page_changed(page, *, softly=False):
    """A change to a page's title or address shows in its descendants' breadcrumbs too."""
    before = getattr(page, "_cache_state_before", None) or {}
    renamed = before and (before["title"] != page.title or before["url_path"] != page.url_path)
    forget_what_shows(page, with_descendants=bool(renamed), softly=softly)


@receiver(pre_save)
def remember_what_showed(sender, instance, raw=False, **kwargs):
    """The page as visitors saw it before this save: a page leaving the menu must leave it everywhere."""
    if isinstance(instance, Page) and instance.pk and not raw:
        instance._cache_state_before = (
            Page.objects.filter(pk=instance.pk).values("title", "url_path", "show_in_menus", "live").first()
        )


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    # What was published replaces what visitors saw, as soon as it is rendered.
    page_changed(instance, softly=True)


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    page_changed(instance)


@receiver(post_page_move)
def on_move(sender, instance, url_path_before, **kwargs):
    # The old address must stop answering from the cache in front too, with everything below it.
    for site in Site.objects.select_related("root_page"):
        if url_path_before.startswith(site.root_page.url_path):
            old_path = "/" + url_path_before.removeprefix(site.root_page.url_path)
            forget({old_path, *(old_path + path.lstrip("/") for path in _descendant_paths(instance))})
    forget_what_shows(instance, with_descendants=True)


def _descendant_paths(page):
    """Descendants' paths relative to the page (e.g. "child/"), wherever the page now is."""
    return [p.url_path.removeprefix(page.url_path) for p in page.get_descendants().live().only("url_path")]


@receiver(page_slug_changed)
def on_slug_change(sender, instance, instance_before, **kwargs):
    forget(set(cached_paths(instance_before)))


@receiver(pre_delete)
def on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        forget_what_shows(instance, with_descendants=True)


@receiver(post_save)
@receiver(post_delete)
def on_site_setting_change(sender, instance, **kwargs):
    if isinstance(instance, BaseSiteSetting | Site):
        forget_site()


@receiver(post_save)
@receiver(pre_delete)
def on_shown_object_change(sender, instance, **kwargs):
    """Images (their description is the alt text), documents and snippets, wherever they are used."""
    if sender in (get_image_model(), get_document_model(), *get_snippet_models()):
        forget_what_shows(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_privacy_change(sender, instance, **kwargs):
    """A page made private, or public again, with every page below it, the listings naming them
    and the sitemap (which lists public pages only)."""
    forget_what_shows(instance.page, with_descendants=True)


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def on_redirect_change(sender, instance, **kwargs):
    # Redirects answer only where no page does; purging the address keeps that true at once.
    forget({instance.old_path, instance.old_path.rstrip("/") + "/"})
