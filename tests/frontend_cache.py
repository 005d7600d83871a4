"""A real local HTTP server standing in for the cache in front of the site (Varnish, a CDN): it
records the paths Wagtail's frontend cache sends it PURGE requests for, and each request's headers
(Varnish's surrogate keys), also on a `timeline` the test shares with what else it records."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PurgeRecorder(ThreadingHTTPServer):
    def __init__(self, timeline=None):
        self.purged = []
        self.headers = []
        self.timeline = [] if timeline is None else timeline
        super().__init__(("127.0.0.1", 0), RecordPurge)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}"


class RecordPurge(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.purged.append(self.path)
        self.server.headers.append(self.headers)
        self.server.timeline.append(self.headers)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass
