"""Purging Varnish in front of the site (deploy/varnish/clinic.vcl) of every variant of a page.

Wagtail's HTTPBackend sends a PURGE per URL, which removes that URL alone: the page's variants with
query strings (`?page=2`) would outlive a change. Pages carry their path's surrogate key
(`surrogate_key`, in an xkey header Varnish keeps to itself), and this backend purges by those
keys, many paths to a request.

A change published is purged softly (`softly`): Varnish keeps serving the page it has while it
fetches the new one in the background, so that no visitor waits on a render and a publish under
load sends gunicorn one request, not one per waiting visitor. Anything that must stop showing (a
page unpublished, deleted, moved or made private, an image or snippet changed) is purged at once.

Each purge carries the secret Varnish was given (PURGE_TOKEN, in an X-Purge-Token header): behind
a TLS proxy on the same host every visitor reaches Varnish from 127.0.0.1, so the address alone
cannot tell the site's purges from anyone's.

Pages live long in Varnish (a day), so a purge a Varnish server did not take (down, refusing, too
slow) is kept in the database (PendingPurge) and sent again with the next purge to that server,
and every few seconds by each gunicorn worker (`keep_retrying`), until it is taken.
"""

import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils.module_loading import import_string
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

from core.http_cache import surrogate_key
from core.models import PendingPurge

logger = logging.getLogger(__name__)

# Keys per request, as a header well within Varnish's limit on one (http_req_hdr_len, 8 KB).
MAX_HEADER_LENGTH = 6000
# The key clinic.vcl gives everything it keeps besides its own.
EVERYTHING = "all"


def softly(backend_settings):
    """WAGTAILFRONTENDCACHE's backends, each Varnish among them purging softly; others (a CDN) as set."""
    return {
        name: {**config, "SOFTLY": True} if import_string(config["BACKEND"]) is VarnishBackend else config
        for name, config in backend_settings.items()
    }


class VarnishBackend(HTTPBackend):
    def __init__(self, params):
        super().__init__(params)
        self.purge_token = params["PURGE_TOKEN"]
        self.softly = params.get("SOFTLY", False)
        self.location = urlunsplit((self.cache_scheme, self.cache_netloc, "/", "", ""))

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        self.purge_keys({surrogate_key(urlsplit(url).path) for url in urls})

    def purge_keys(self, keys):
        """Purge these keys and those this server missed before (at once: what it missed may have had
        to stop showing); keep the ones it does not take. These keys go first, before the database
        is asked what was missed: a publish reaches visitors that much sooner. A key both new and
        missed is purged softly, then at once, which leaves it purged at once."""
        missed = set()
        for batch in batches(sorted(set(keys))):
            if not self.send(batch, softly=self.softly):
                missed.update(batch)
        waiting = dict(PendingPurge.objects.filter(location=self.location).values_list("pk", "surrogate_key"))
        for batch in batches(sorted(set(waiting.values()))):
            if self.send(batch, softly=False):
                missed.difference_update(batch)
            else:
                missed.update(batch)
        if waiting or missed:  # nearly always neither: no transaction to open
            with transaction.atomic():
                PendingPurge.objects.filter(pk__in=waiting).delete()
                PendingPurge.objects.bulk_create(
                    PendingPurge(location=self.location, surrogate_key=key) for key in sorted(missed)
                )

    def send(self, keys, softly=False):
        request = PurgeRequest(
            url=self.location,
            headers={
                "xkey-softpurge" if softly else "xkey-purge": " ".join(keys),
                "X-Purge-Token": self.purge_token,
            },
        )
        try:
            # A hung Varnish must not hang the editor's publish.
            with urlopen(request, timeout=10):  # noqa: S310 - LOCATION comes from the settings
                return True
        except OSError as error:
            logger.error(
                "Could not purge %d keys from Varnish at %s, will retry: %s", len(keys), self.location, error
            )
            return False


def batches(keys):
    batch, length = [], 0
    for key in keys:
        if batch and length + len(key) + 1 > MAX_HEADER_LENGTH:
            yield batch
            batch, length = [], 0
        batch.append(key)
        length += len(key) + 1
    if batch:
        yield batch


def varnish_servers():
    return [backend for backend in get_backends().values() if isinstance(backend, VarnishBackend)]


def purge_everything():
    """Empty every Varnish server: pages rendered by an earlier release must not outlive it."""
    for varnish in varnish_servers():
        try:
            varnish.purge_keys([EVERYTHING])
        except DatabaseError:
            # Nowhere to keep a miss for later: at least this once.
            varnish.send([EVERYTHING])


def retry_pending_purges():
    waiting = set(PendingPurge.objects.values_list("location", flat=True).distinct())
    for varnish in varnish_servers():
        if varnish.location in waiting:
            varnish.purge_keys([])


def keep_retrying():
    """Retry purges Varnish missed every PURGE_RETRY_SECONDS, in a thread of this process, so that
    a server back from an outage stops serving stale pages within seconds, whatever the traffic
    (a thread rather than a middleware: a retry waiting on a slow Varnish holds up no visitor)."""

    def retry_forever():
        while True:
            time.sleep(settings.PURGE_RETRY_SECONDS)
            try:
                retry_pending_purges()
            except DatabaseError as error:
                logger.warning("Could not retry purges Varnish missed: %s", error)
            finally:
                # This thread's own connection: the database may restart between two rounds.
                connections.close_all()

    if varnish_servers():
        threading.Thread(target=retry_forever, name="varnish-purge-retries", daemon=True).start()
