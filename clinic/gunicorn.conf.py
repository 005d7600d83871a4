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
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = 5000
max_requests_jitter = 500
# The TLS proxy in front, whose X-Forwarded-* headers gunicorn may believe.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No shared control socket: several sites (or test runs) may serve from one machine.
control_socket_disable = True
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
