"""Per page type: SQL queries, bytes on the wire and median render time of a page as the site
renders it (what the cache in front asks for), measured in-process."""

import gzip
import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from articles.models import ArticlePage


def pages_to_measure():
    article = ArticlePage.objects.live().order_by("path").first()
    return {
        "home": "/",
        "condition page": "/conditions/multiple-sclerosis/",
        "articles (filtered)": "/articles/?condition=multiple-sclerosis",
        "article page": article.url if article else None,
        "search results": "/search/?q=stem+cells",
    }


class Command(BaseCommand):
    help = "Measure queries, bytes and render time of each public page type."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--json", action="store_true", help="Print JSON (for make bench).")

    def handle(self, *args, runs, **options):
        client = Client(SERVER_NAME="127.0.0.1")
        results = {}
        for name, url in pages_to_measure().items():
            if url is None:
                continue
            client.get(url)  # warm imports, template loading and renditions
            queries = []

            def count(execute, sql, *args, queries=queries):
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                response = client.get(url)
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            results[name] = {
                "url": url,
                "status": response.status_code,
                "queries": len(queries),
                "bytes": len(response.content),
                "gzip_bytes": len(gzip.compress(response.content)),
                "median_ms": round(statistics.median(timings), 2),
            }
        if options["json"]:
            self.stdout.write(json.dumps(results))
            return
        self.stdout.write(f"{'page':22} {'queries':>7} {'bytes':>7} {'gzip':>6} {'median ms':>9}")
        for name, row in results.items():
            self.stdout.write(
                f"{name:22} {row['queries']:>7} {row['bytes']:>7} {row['gzip_bytes']:>6} {row['median_ms']:>9}"
            )
