"""For `make bench`: per page type, the SQL queries, bytes and median render time of a page as the
site renders it for a visitor (what Varnish asks for on a miss), measured in-process.

Run with the project's Python and the environment `make bench` serves the site with
(DJANGO_SETTINGS_MODULE=clinic.settings.production): prints JSON, one entry per page type.
With --urls, only each page type's address, measuring nothing (`make bench`'s beacon step alone).
"""

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

# The project's apps are importable from its root, as they are for manage.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import ArticlePage  # noqa: E402

RENDERS = 30


def pages_to_measure():
    article = ArticlePage.objects.live().public().order_by("path").first()
    pages = {
        "home": "/",
        "condition page": "/conditions/multiple-sclerosis/",
        "articles (filtered)": "/articles/?condition=multiple-sclerosis",
        "article page": article.url if article else None,
        "search results": "/search/?q=stem+cells",
    }
    return {name: url for name, url in pages.items() if url}


def measure(client, url):
    client.get(url)  # warm imports, template loading and renditions
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    timings = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "url": url,
        "status": response.status_code,
        "queries": len(queries),
        "bytes": len(response.content),
        "gzip_bytes": len(gzip.compress(response.content)),
        "median_ms": round(statistics.median(timings), 2),
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--urls"]:
        print(json.dumps(pages_to_measure()))
    else:
        client = Client(SERVER_NAME="127.0.0.1")
        print(json.dumps({name: measure(client, url) for name, url in pages_to_measure().items()}))
