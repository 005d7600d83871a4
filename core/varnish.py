"""Purging Varnish in front of the site (deploy/varnish/clinic.vcl) of every variant of a page.

Wagtail's HTTPBackend sends a PURGE per URL, which removes that URL alone: the page's variants with
query strings (`?utm_source=…`) would outlive a change. Pages carry their path's surrogate key
(`core.page_cache.surrogate_key`, in an xkey header Varnish keeps to itself), and this backend
purges by those keys, many paths to a request.

Each purge carries the secret Varnish was given (PURGE_TOKEN, in an X-Purge-Token header): behind
a TLS proxy on the same host every visitor reaches Varnish from 127.0.0.1, so the address alone
cannot tell the site's purges from anyone's.
"""

import logging
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

from core.http_cache import surrogate_key

logger = logging.getLogger(__name__)

# Keys per request, as a header well within Varnish's limit on one (http_req_hdr_len, 8 KB).
MAX_HEADER_LENGTH = 6000


class VarnishBackend(HTTPBackend):
    def __init__(self, params):
        super().__init__(params)
        self.purge_token = params["PURGE_TOKEN"]

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        keys = sorted({surrogate_key(urlsplit(url).path) for url in urls})
        batch, length = [], 0
        for key in keys:
            if batch and length + len(key) + 1 > MAX_HEADER_LENGTH:
                self.purge_keys(batch)
                batch, length = [], 0
            batch.append(key)
            length += len(key) + 1
        if batch:
            self.purge_keys(batch)

    def purge_keys(self, keys):
        request = PurgeRequest(
            url=urlunsplit((self.cache_scheme, self.cache_netloc, "/", "", "")),
            headers={"xkey-purge": " ".join(keys), "X-Purge-Token": self.purge_token},
        )
        try:
            # A hung Varnish must not hang the editor's publish.
            with urlopen(request, timeout=10):  # noqa: S310 - LOCATION comes from the settings
                pass
        except OSError as error:
            logger.error("Could not purge %d pages from Varnish: %s", len(keys), error)
