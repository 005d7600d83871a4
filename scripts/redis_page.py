"""For `make bench`: a WSGI app that answers every request with a page fetched from Redis in one
round trip (the MGET of a page cache hit) and does nothing else. What it serves under gunicorn is
the most that any page cache asking Redis for each page could serve on the machine."""

import os

import redis

client = redis.Redis.from_url(os.environ["REDIS_URL"])
KEYS = ["bench:redis-page", "bench:generation:site", "bench:generation:path"]
client.set(KEYS[0], b"x" * int(os.environ["PAGE_BYTES"]), ex=3600)


def application(environ, start_response):
    page = client.mget(KEYS)[0]
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))]
    )
    return [page]
