"""Gunicorn settings for `make serve` and production. Environment variables adjust them."""

import os

wsgi_app = "clinic.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Two workers suit a 2-core machine; WEB_CONCURRENCY is the usual knob for more.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Import the site once, before forking: workers start faster and share memory.
preload_app = True
timeout = 30
graceful_timeout = 20
# Recycle workers now and then, so a slow leak never grows into an outage: hours apart at a clinic's
# usual traffic (Varnish answers most requests); the jitter keeps workers from restarting together.
max_requests = 100_000
max_requests_jitter = 10_000
# No keep-alive: sync workers close each connection after its response, Varnish or the proxy keeps
# the visitors' connections open. Measured on the 2-core development machine (wrk, 32 connections),
# gthread workers holding connections open (one thread, keep-alive 75 s) served small pages at
# 2,155 requests/s against 2,469 for sync workers, and the CSS file at 3,330 against 4,364, with
# ten times the latency spread.
# The TLS proxy in front, whose X-Forwarded-* headers gunicorn may believe.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No shared control socket: several sites (or test runs) may serve from one machine.
control_socket_disable = True
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"


def when_ready(server):
    """Before the first worker starts: Varnish in front forgets every page, since this release may
    render them otherwise (a purge Varnish misses is retried by the workers)."""
    from django.db import connections

    from core.varnish import purge_everything

    purge_everything()
    # Workers are forked from this process: none may share its database connection.
    connections.close_all()


def post_worker_init(worker):
    from core.varnish import keep_retrying

    keep_retrying()
