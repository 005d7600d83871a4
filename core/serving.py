"""What Wagtail works out afresh for every request although it changes only with the site: the Site
a host name is served by (with its home page), every site's address (for each link to a page),
whether any page is private at all, the pages above each page (its breadcrumbs), and the type of
page an address leads to (so that routing asks the database once, for the page itself). Apps keep
their own such facts with them (`remembered`): the site's header and footer, say.

Kept in the cache under the page cache's site generation, so that every change that could alter
them (a Site or its settings, a page made private or public, a page with pages below it renamed or
moved: core.cache_invalidation) forgets them on every server at once, with the page cache's own
fallback when Redis cannot take the change. Without a cache answer each request works them out
from the database, as Wagtail does.
"""

import contextvars

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction, Site

from core import page_cache, release

# This request's facts, for the code Wagtail calls without the request (view restrictions).
current = contextvars.ContextVar("site_facts", default=None)


class SiteFacts:
    # Every fact kept.
    __slots__ = (
        "generation",
        "changed",
        "sites",
        "site_root_paths",
        "remembered",
        "private_pages",
        "ancestors",
        "by_url_path",
    )

    def __init__(self, generation):
        self.generation = generation
        self.changed = True  # not yet in the cache
        self.sites = {}  # (host, port): Site, its root page's specific page loaded
        # What Wagtail makes each page's URL from; it keeps them in the cache too, one round trip more.
        self.site_root_paths = Site.get_site_root_paths()
        self.remembered = {}  # name: what an app worked out (`remembered`)
        self.private_pages = PageViewRestriction.objects.exists()
        # Pages that have pages below them, by tree path: every breadcrumb is made of these. With
        # the home pages' own children (whose type their parent cannot tell), they give routing the
        # type of every page of the site.
        self.ancestors = {}
        self.by_url_path = {}
        for page in Page.objects.filter(Q(numchild__gt=0) | Q(depth=3), depth__gt=1).only(
            "title", "url_path", "path", "depth", "numchild", "content_type"
        ):
            self.by_url_path[page.url_path] = page
            if page.numchild:
                self.ancestors[page.path] = page

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

    def page_type_at(self, url_path):
        """The model of the page at `url_path` as far as these facts tell (a guess that the
        database confirms): the page's own if it is known here, else the only type its parent
        takes."""
        if url_path in self.by_url_path:
            return self.by_url_path[url_path].specific_class
        parent = self.by_url_path.get(url_path[: url_path.rstrip("/").rindex("/") + 1])
        if parent is not None and parent.specific_class is not None:
            types = parent.specific_class.allowed_subpage_models()
            if len(types) == 1:
                return types[0]
        return None


def key():
    """Filed under the release: servers running other code (other facts, another chrome) never read these."""
    return f"serving:site-facts:{release.current()}"


def remembered(name, work_out):
    """`work_out()`, worked out once for the site's facts and kept with them: for what changes only
    with the site (anything that a new site generation forgets). Worked out afresh where there are
    no facts (the admin's previews)."""
    facts = current.get()
    if facts is None:
        return work_out()
    if name not in facts.remembered:
        facts.remembered[name] = work_out()
        facts.changed = True
    return facts.remembered[name]


def public(pages):
    """`pages.public()`, without its query for the site's view restrictions while no page is private."""
    facts = current.get()
    return pages if facts is not None and not facts.private_pages else pages.public()


def live_page_at(url_path):
    """The live page at `url_path` (a Wagtail url_path, under the site's root), as its specific
    type: in one query when the site's facts tell its type, else two."""
    facts = current.get()
    model = facts.page_type_at(url_path) if facts is not None else None
    if model is not None:
        page = model.objects.filter(url_path=url_path, live=True).first()
        if page is not None:
            return page
    return Page.objects.filter(url_path=url_path, live=True).specific().first()


def current_facts():
    """The site's facts for the site generation now current, from the cache or else the database."""
    facts_key = key()
    found = page_cache.cache().get_many([facts_key, page_cache.SITE_GENERATION])
    generation = found.get(page_cache.SITE_GENERATION)
    # No generation yet (nothing has changed since the cache started) is a generation too, as the
    # page cache's own entries have it: the first change sets one, and these facts stop matching.
    facts = found.get(facts_key)
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
        request._wagtail_cached_site_root_paths = facts.site_root_paths
        token = current.set(facts)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        if facts.changed:
            page_cache.cache().set(key(), facts, timeout=settings.PAGE_CACHE_TIMEOUT)
        return response
