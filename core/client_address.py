"""The site's one way of telling visitors apart, used by every limit (sign-in, consultation requests)."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The visitor's address. Behind TRUSTED_PROXY_COUNT proxies, each appends the address it
    saw to X-Forwarded-For, so the entry that many from the end is the one no visitor can forge."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= hops and _is_address(forwarded[-hops]):
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _is_address(text):
    # Only a proxy that is not there (a wrong TRUSTED_PROXY_COUNT) lets anything else through.
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
