"""Whole-page cache for anonymous visitors, emptied exactly when what a page shows changes.

A cached response is filed under the release of the code that rendered it (core.release), its
site's canonical address, its path and the query parameters its page reads (each page type
declares them), and stamped with two generations: the site's and its path's. Invalidating a path
gives it a new generation, so every stored variant of it (query strings, GET and HEAD) stops
matching at once, on every server sharing the cache; site-wide changes (navigation, footer,
settings) give the site a new generation. A hit costs one round trip to the cache and no
database query.

A new generation that the cache could not take (Redis down, hung or full) is written to the
database and given to the cache as soon as it answers again, by whichever server checks first:
each server looks for such leftovers on its first request, a few seconds after it saw a failure,
and every few seconds besides.

What a change invalidates is decided in `core.cache_invalidation`; this module only stores,
serves and forgets.
"""

import functools
import hashlib
import threading
import time
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.encoding import escape_uri_path
from wagtail.models import Site, get_page_models

from core import release
from core.models import PendingCacheInvalidation

SITE_GENERATION = "pagecache:generation:site"
# Headers worth keeping with a stored page; the rest are recomputed or belong to one response.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "ETag",
    "Cache-Control",
    "Vary",
    "xkey",
)


def cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _digest(text):
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def surrogate_key(path):
    """The key a shared cache in front (Varnish's xkey) files every variant of a path under, query
    strings included, and purges them by: the path, percent-encoded as Django writes it."""
    return escape_uri_path(path)


def path_generation_key(path):
    return f"pagecache:generation:path:{_digest(path)}"


# Invalidation -------------------------------------------------------------------------------


def invalidate_paths(paths):
    """Forget every cached variant of these URL paths."""
    _new_generation([path_generation_key(path) for path in set(paths)])


def invalidate_site():
    """Forget every cached page."""
    _new_generation([SITE_GENERATION])


def _new_generation(keys):
    """Now, for the rest of this transaction, and again once it commits: a page rendered by
    another request in between, from the data before the commit, must not outlive it."""
    if keys:
        _set_generation(keys)
        transaction.on_commit(lambda: _set_generation(keys))


def _set_generation(keys):
    # A fresh, never-reused value (not a counter), so that an evicted generation cannot come back
    # equal to an old one.
    failed = cache().set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)
    if failed:
        PendingCacheInvalidation.objects.bulk_create(
            PendingCacheInvalidation(generation_key=key) for key in failed
        )
        _pending_check.soon()


class _PendingCheck:
    """When this process last looked for invalidations the cache could not take: it looks again
    after PAGE_CACHE_PENDING_CHECK_SECONDS, or at once after a failure."""

    def __init__(self):
        self.last_run = float("-inf")  # at once, on a server's first request
        self.lock = threading.Lock()

    def soon(self):
        self.last_run = float("-inf")

    def run_if_due(self):
        if time.monotonic() - self.last_run < settings.PAGE_CACHE_PENDING_CHECK_SECONDS:
            return
        if not self.lock.acquire(blocking=False):
            return
        try:
            self.last_run = time.monotonic()
            apply_pending_invalidations()
        except DatabaseError:
            pass  # the database is down: the cache is all there is, and nothing can be pending
        finally:
            self.lock.release()


def apply_pending_invalidations():
    """Give the cache the generations it missed; kept for next time while it still can't take them."""
    pending = dict(PendingCacheInvalidation.objects.values_list("pk", "generation_key"))
    if not pending:
        return
    if cache().set_many(dict.fromkeys(set(pending.values()), time.time_ns()), timeout=None):
        _pending_check.soon()
        return
    PendingCacheInvalidation.objects.filter(pk__in=pending).delete()


_pending_check = _PendingCheck()


# What a response depends on ---------------------------------------------------------------------


def reads_query_parameters(request, names):
    """Declare that the response to `request` depends on these query parameters and no other.

    Other parameters (`utm_*`, anything made up) are taken out of a cacheable request, so that
    the page rendered for it is the one every visitor gets, and it is filed with the page's
    own entry."""
    names = frozenset(names)
    request.page_cache_query_parameters = names
    if getattr(request, "page_cache_candidate", False) and set(request.GET) - names:
        kept = QueryDict(mutable=True)
        for name in names & set(request.GET):
            kept.setlist(name, request.GET.getlist(name))
        request.GET = kept
        request.META["QUERY_STRING"] = kept.urlencode()


def view_reads_query_parameters(*names):
    """`reads_query_parameters` for a view that is not a page (search, sitemap)."""
    _VIEW_PARAMETERS.update(names)
    _parameters_any_page_reads.cache_clear()

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            reads_query_parameters(request, names)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


_VIEW_PARAMETERS = set()


@functools.cache
def _parameters_any_page_reads():
    """Every query parameter some page type or view reads: a hit also fetches the entry these
    would file the page under. Worked out once, since every page type is known when Django has
    loaded the apps (before any request), and again after a view declares its own on import."""
    return frozenset(
        _VIEW_PARAMETERS.union(*(getattr(model, "cache_query_parameters", ()) for model in get_page_models()))
    )


def host_of(request):
    """The host name and port a request named, as Wagtail tells sites apart (the raw Host: only
    names in ALLOWED_HOSTS reach the views, and some are served by the default site)."""
    return request._get_raw_host().rsplit(":", 1)[0].lower(), request.get_port()


class _CanonicalAddresses:
    """The root URL of the Site that each host name (and port) is served by, as Wagtail chooses it,
    kept in memory so that a hit needs no database query, and forgotten with every new site
    generation (which any change to a Site brings). Shared through the cache too, so that a
    server's first requests are answered from the cache while the database is down."""

    def __init__(self):
        self.generation = None
        self.by_host = {}

    def root_url(self, request):
        """The root URL, and whether it was just read from the database."""
        host = host_of(request)
        if host in self.by_host:
            return self.by_host[host], False
        key = f"pagecache:site-address:{_digest(repr(host))}"
        found = cache().get_many([key, SITE_GENERATION])
        shared = found.get(key)
        if shared is not None and shared["generation"] == found.get(SITE_GENERATION):
            root_url = shared["root_url"]
        else:
            site = Site.find_for_request(request)
            root_url = site.root_url if site else ""
            cache().set(
                key,
                {"generation": found.get(SITE_GENERATION), "root_url": root_url},
                timeout=settings.PAGE_CACHE_TIMEOUT,
            )
        # Only host names in ALLOWED_HOSTS get this far; wildcards there could make many.
        if len(self.by_host) >= 100:
            self.by_host.clear()
        self.by_host[host] = root_url
        return root_url, True

    def still_holds(self, request, generation, just_read):
        """Whether the root URL given for the request belongs to the site generation now current."""
        if generation == self.generation:
            return True
        host = host_of(request)
        self.generation = generation
        self.by_host = {host: self.by_host[host]} if just_read else {}
        return just_read


_canonical = _CanonicalAddresses()


def entry_key(root_url, path, query, reads):
    """The key of the page at `path` given the parameters it reads, or None when it is unknown which
    it reads and the request carries some."""
    if reads is None:
        if query:
            return None
        reads = ()
    kept = sorted((name, value) for name in reads for value in query.getlist(name))
    return f"pagecache:page:{_digest(release.current() + root_url + path + '?' + urlencode(kept))}"


# Requests and responses -------------------------------------------------------------------------


def has_session(request):
    """Whether the visitor has a session with something in it: signed-in staff, or a page
    unlocked with its password. A made-up or expired cookie is no session, and must not be a way
    to make the server render every page afresh."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    try:
        return bool(import_module(settings.SESSION_ENGINE).SessionStore(session_key).load())
    except DatabaseError:
        return True


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
        # Staff (and visitors who unlocked a private page) always see the page as it is now.
        and not has_session(request)
    )


def is_cacheable_response(response):
    # A page that sets a cookie belongs to one visitor; in particular every page carrying a CSRF
    # token (a form, and so a private page's password form) sets the CSRF cookie. Wagtail also
    # sends private pages' password forms with no-store, and redirects for sign-in.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        _pending_check.run_if_due()

        request.page_cache_candidate = True
        query, path = request.GET, request.path
        root_url, just_read = _canonical.root_url(request)
        canonical_key = entry_key(root_url, path, query, ())
        likely_key = entry_key(root_url, path, query, _parameters_any_page_reads())
        path_key = path_generation_key(path)
        # Without a query string the two entries are one: fetched (and unpickled) once.
        found = cache().get_many(list(dict.fromkeys([canonical_key, likely_key, path_key, SITE_GENERATION])))
        generations = (found.get(SITE_GENERATION), found.get(path_key))

        if _canonical.still_holds(request, generations[0], just_read):
            stored = self.find(found, generations, root_url, path, query, (likely_key, canonical_key))
            if stored is not None:
                return self.replay(request, stored)
        else:
            root_url, _ = _canonical.root_url(request)

        response = self.get_response(request)
        reads = getattr(request, "page_cache_query_parameters", None)
        key = entry_key(root_url, path, query, reads)
        if key is not None and is_cacheable_response(response):
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if settings.PAGE_CACHE_CDN_MAX_AGE:
                patch_cache_control(response, s_maxage=settings.PAGE_CACHE_CDN_MAX_AGE)
            if settings.PAGE_CACHE_SURROGATE_KEYS:
                response["xkey"] = surrogate_key(path)
            set_response_etag(response)
            cache().set(
                key,
                {
                    "generations": generations,
                    "reads": sorted(reads) if reads is not None else None,
                    "status": response.status_code,
                    "headers": [(h, response[h]) for h in STORED_HEADERS if h in response],
                    "content": response.content,
                },
                timeout=settings.PAGE_CACHE_TIMEOUT,
            )
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def find(found, generations, root_url, path, query, fetched_keys):
        """The stored page this request may be answered with, if any. An entry found under a key
        answers the request only if the parameters the page reads lead to that same key; the
        canonical entry tells which the page reads when the request has others still (one more
        round trip, for a mix of parameters that no page reads together)."""

        def fresh(entry):
            return entry is not None and entry["generations"] == generations

        for key in fetched_keys:
            entry = found.get(key)
            if fresh(entry) and entry_key(root_url, path, query, entry["reads"]) == key:
                return entry
        canonical = found.get(fetched_keys[-1])
        if fresh(canonical) and canonical["reads"] is not None:
            key = entry_key(root_url, path, query, canonical["reads"])
            entry = cache().get(key) if key not in fetched_keys else None
            if fresh(entry):
                return entry
        return None

    def replay(self, request, stored):
        response = HttpResponse(stored["content"], status=stored["status"])
        for header, value in stored["headers"]:
            response[header] = value
        response["Content-Length"] = str(len(stored["content"]))
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(request, etag=response.get("ETag"), response=response)
