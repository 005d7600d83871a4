from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url, **headers):
    """The SQL queries of a visit to `url`, after a first visit has filled what Wagtail keeps
    between requests (every site's address)."""
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(queries)
