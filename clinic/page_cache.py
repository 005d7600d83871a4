"""Whole-page cache for anonymous visitors, emptied exactly when what a page shows changes.

A cached response is filed under its host and full path and stamped with two generations: the
site's and its path's. Invalidating a path gives it a new generation, so every stored variant of
it (query strings, GET and HEAD) stops matching at once, on every server sharing the cache;
site-wide changes (navigation, footer, settings) give the site a new generation. A hit costs
one round trip to the cache and no database query.

What a change invalidates is decided in `clinic.cache_invalidation`; this module only stores,
serves and forgets.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

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
)


def cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _digest(text):
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def path_generation_key(path):
    return f"pagecache:generation:path:{_digest(path)}"


def entry_key(request):
    return f"pagecache:page:{_digest(request.get_host() + request.get_full_path())}"


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
    cache().set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        # Staff (and anyone else with a session) always see the page as it is now.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
    )


def is_cacheable_response(response):
    # A page that sets a cookie belongs to one visitor; in particular every page carrying a CSRF
    # token (a form) sets the CSRF cookie.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        key = entry_key(request)
        path_key = path_generation_key(request.path)
        found = cache().get_many([key, path_key, SITE_GENERATION])
        generations = (found.get(SITE_GENERATION), found.get(path_key))
        stored = found.get(key)
        if stored is not None and stored["generations"] == generations:
            return self.replay(request, stored)

        response = self.get_response(request)
        if is_cacheable_response(response):
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if settings.PAGE_CACHE_CDN_MAX_AGE:
                patch_cache_control(response, s_maxage=settings.PAGE_CACHE_CDN_MAX_AGE)
            set_response_etag(response)
            cache().set(
                key,
                {
                    "generations": generations,
                    "status": response.status_code,
                    "headers": [(h, response[h]) for h in STORED_HEADERS if h in response],
                    "content": response.content,
                },
                timeout=settings.PAGE_CACHE_TIMEOUT,
            )
            response["X-Page-Cache"] = "miss"
        return response

    def replay(self, request, stored):
        response = HttpResponse(stored["content"], status=stored["status"])
        for header, value in stored["headers"]:
            response[header] = value
        response["Content-Length"] = str(len(stored["content"]))
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(request, etag=response.get("ETag"), response=response)
