from importlib import import_module

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def with_a_session():
    """Request headers of a visitor whose session holds something (as staff's or an unlocked
    private page's does): the page cache always renders their pages afresh."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["measuring"] = True
    session.save()
    return {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def queries_for(client, url, **headers):
    """The SQL queries of a visit to `url`, after a first visit has filled what a running site
    keeps between requests (the site chrome, the site's facts)."""
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(queries)
