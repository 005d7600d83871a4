"""What Wagtail works out afresh for every request although it changes only with the site: the Site
a host name is served by (with its home page), whether any page is private at all, and the pages
above each page (its breadcrumbs).

Kept in the cache under the page cache's site generation, so that every change that could alter
them (a Site or its settings, a page made private or public, a page with pages below it renamed or
moved: core.cache_invalidation) forgets them on every server at once, with the page cache's own
fallback when Redis cannot take the change. Without a cache answer each request works them out
from the database, as Wagtail does.
"""

import contextvars

from django.conf import settings
from wagtail.models import Page, PageViewRestriction, Site

from core import page_cache

KEY = "serving:site-facts"
# This request's facts, for the code Wagtail calls without the request (view restrictions).
current = contextvars.ContextVar("site_facts", default=None)


class SiteFacts:
    def __init__(self, generation):
        self.generation = generation
        self.changed = True  # not yet in the cache
        self.sites = {}  # (host, port): Site, its root page's specific page loaded
        self.private_pages = PageViewRestriction.objects.exists()
        # Pages that have pages below them, by tree path: every breadcrumb is made of these.
        self.ancestors = {
            page.path: page
            for page in Page.objects.filter(numchild__gt=0, depth__gt=1).only(
                "title", "url_path", "path", "depth"
            )
        }

    def site_for(self, request):
        host = page_cache.host_of(request)
        if host in self.sites:
            return self.sites[host]
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page.localized.specific  # noqa: B018 - loaded now, to be kept with it
        # Only host names in ALLOWED_HOSTS get this far; wildcards there could make many.
        if len(self.sites) < 100:
            self.sites[host] = site
            self.changed = True
        return site

    def ancestors_of(self, page):
        """The pages above `page` below the tree's root, or None if one is not known here."""
        paths = [page.path[: Page.steplen * depth] for depth in range(2, page.depth)]
        found = [self.ancestors.get(path) for path in paths]
        return None if None in found else found


def current_facts():
    """The site's facts for the site generation now current, from the cache or else the database."""
    cache = page_cache.cache()
    found = cache.get_many([KEY, page_cache.SITE_GENERATION])
    generation = found.get(page_cache.SITE_GENERATION)
    # No generation yet (nothing has changed since the cache started) is a generation too, as the
    # page cache's own entries have it: the first change sets one, and these facts stop matching.
    facts = found.get(KEY)
    if facts is None or facts.generation != generation:
        return SiteFacts(generation)
    facts.changed = False
    return facts


class SiteFactsMiddleware:
    """Gives Wagtail the request's Site, and the rest of the site's facts to the code that asks,
    from one round trip to the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES):
            return self.get_response(request)
        facts = current_facts()
        request._wagtail_site = facts.site_for(request)
        token = current.set(facts)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        if facts.changed:
            page_cache.cache().set(KEY, facts, timeout=settings.PAGE_CACHE_TIMEOUT)
        return response
