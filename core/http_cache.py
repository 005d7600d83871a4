"""What an HTTP cache in front of the site (Varnish, a CDN) is told it may keep, and for how long.

The site itself keeps no copy of any page: every request it answers is rendered afresh. Only a
shared cache in front keeps pages, for SHARED_CACHE_MAX_AGE seconds when Wagtail's frontend cache
is configured to purge it (core.cache_invalidation purges exactly the pages a change shows on),
filed by each page's surrogate key so that a purge reaches every variant of its path. Browsers
revalidate every time, with the page's ETag.
"""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.encoding import escape_uri_path

# Staff's screens, private documents and the health check are never kept by a shared cache.
NEVER_SHARED = ("/admin/", "/documents/", "/healthz")


def surrogate_key(path):
    """The key a shared cache in front (Varnish's xkey) files every variant of a path under, query
    strings included, and purges them by: the path, percent-encoded as Django writes it."""
    return escape_uri_path(path)


def is_shareable_request(request):
    # Staff, and visitors who unlocked a private page, have a session: their pages are their own.
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(NEVER_SHARED)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_shareable_response(response):
    # A page that sets a cookie belongs to one visitor; in particular every page carrying a CSRF
    # token (a form, and so a private page's password form) sets the CSRF cookie. Wagtail also
    # sends private pages' password forms with no-store, and redirects for sign-in.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


class SharedCacheHeadersMiddleware:
    """Marks the pages every anonymous visitor gets alike as public, for the cache in front, and
    the pages of a visitor with a session as private."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
            return response
        if not (is_shareable_request(request) and is_shareable_response(response)):
            return response
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        if settings.WAGTAILFRONTENDCACHE:
            patch_cache_control(response, s_maxage=settings.SHARED_CACHE_MAX_AGE)
        if settings.SHARED_CACHE_SURROGATE_KEYS:
            response["xkey"] = surrogate_key(request.path)
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)
