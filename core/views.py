"""Operational views: the load balancer's health check and the error page for outages."""

import sys
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


@never_cache
def healthz(request):
    """503 only when the database fails: without it this server can't serve. Without the cache
    (where the limits per address are counted for every server) it serves every page all the same,
    counting the limits in the database, as every other server would: "degraded", but still 200,
    so that a load balancer keeps it."""
    database = _database_answers()
    return JsonResponse(
        {"database": "ok" if database else "failing", "cache": "ok" if _cache_answers() else "degraded"},
        status=200 if database else 503,
    )


def _database_answers():
    """Whether a fresh connection to the database can run a query, whatever state the
    request's own connection is in."""
    probe = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False
    finally:
        probe.close()


def _cache_answers():
    # A round trip, since the production cache turns an unreachable server into misses.
    key, token = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, 10)
        answered = cache.get(key) == token
        cache.delete(key)
    except Exception:  # noqa: BLE001 - any failure of the cache is what this check reports
        return False
    return answered


def server_error(request, template_name="500.html"):
    """Django's 500 page, except when the database can't be reached: then a 503, temporary,
    with Retry-After, so that patients, crawlers and load balancers come back later."""
    error = sys.exc_info()[1]
    # Both also cover faults in a single query (SQLite calls a syntax error "operational"),
    # so the database itself is asked.
    if isinstance(error, OperationalError | InterfaceError) and not _database_answers():
        response = django_server_error(request, template_name="503.html")
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request, template_name=template_name)
