"""What the site refuses to ask, and how long and how much it reads, whoever gave it the address: an
editor's article link (the link check) or a registry's redirect. Against real servers on this
machine: the stand-in web the site may ask, and a listener it must never reach."""

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.citations import LookupFailed, ServiceUnreachable, look_up_doi, look_up_trial
from articles.link_health import check_link
from articles.models import ArticlePage, LinkStatus
from tests.evidence_registries import point_settings_at
from tests.html import select, text

LARGE_BYTES = 50_000_000
METADATA = "http://169.254.169.254/latest/meta-data/"


class StandInWeb(BaseHTTPRequestHandler):
    """/ok; /redirect?to=<address>; /large (no length given) and /large-declared, 50 MB each;
    /drip-headers and /drip-body, a byte every tenth of a second for ten seconds. Any path below
    these answers as they do, so that a registry's base address can point at one."""

    def do_GET(self):
        self.server.hits[self.path] += 1
        url = urlsplit(self.path)
        kind = url.path.strip("/").split("/")[0]
        try:
            if kind == "redirect":
                self.send_response(302)
                self.send_header("Location", parse_qs(url.query)["to"][0])
                self.end_headers()
            elif kind in ("large", "large-declared"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if kind == "large-declared":
                    self.send_header("Content-Length", str(LARGE_BYTES))
                self.end_headers()
                for _ in range(LARGE_BYTES // 100_000):
                    self.wfile.write(b" " * 100_000)
                    self.server.sent += 100_000
            elif kind == "drip-headers":
                self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slowly: ")
                self.drip()
            elif kind == "drip-body":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.drip()
            else:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            self.server.hung_up.set()

    def drip(self):
        for _ in range(100):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.1)

    def log_message(self, *args):
        pass


def start(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.hits = Counter()
    server.sent = 0
    server.hung_up = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.address = f"127.0.0.1:{server.server_address[1]}"
    server.url = f"http://{server.address}"
    return server


def stop(server):
    server.shutdown()
    server.server_close()


@pytest.fixture
def web(settings):
    """The stand-in web: the one address on this machine the site may ask."""
    server = start(StandInWeb)
    settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES = [server.address]
    yield server
    stop(server)


@pytest.fixture
def listener():
    """A server on this machine, as a database or an internal service would be: never to be asked."""
    server = start(StandInWeb)
    yield server
    assert sum(server.hits.values()) == 0, f"the site asked a server on this machine: {server.hits}"
    stop(server)


def test_production_asks_no_server_on_this_machine(db, settings, listener):
    assert settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES == []
    result = check_link(f"{listener.url}/paper", timeout=0.5)
    assert (result.status, result.problem) == (
        LinkStatus.BROKEN,
        "Not checked: 127.0.0.1 is on this machine (loopback)",
    )


REFUSED_LINKS = {
    "a server on this machine": (
        lambda web, listener: f"{listener.url}/paper",
        lambda web, listener: "127.0.0.1 is on this machine (loopback)",
    ),
    "a private network": (
        lambda web, listener: "http://10.0.0.5/paper",
        lambda web, listener: "10.0.0.5 is a private network address",
    ),
    "the cloud's metadata service": (
        lambda web, listener: METADATA,
        lambda web, listener: (
            "169.254.169.254 is a link-local address (such as a cloud server's metadata service)"
        ),
    ),
    "a redirect to a server on this machine": (
        lambda web, listener: f"{web.url}/redirect?to={quote(listener.url + '/paper')}",
        lambda web, listener: (
            f"redirected to {listener.url}/paper, and 127.0.0.1 is on this machine (loopback)"
        ),
    ),
    "a redirect to the metadata service": (
        lambda web, listener: f"{web.url}/redirect?to={quote(METADATA)}",
        lambda web, listener: (
            f"redirected to {METADATA}, and 169.254.169.254 is a link-local address "
            "(such as a cloud server's metadata service)"
        ),
    ),
}


@pytest.mark.parametrize("link", REFUSED_LINKS.values(), ids=REFUSED_LINKS.keys())
def test_the_link_check_refuses_private_addresses_and_says_which_rule(
    client, admin_user, web, listener, link
):
    address, rule = (make(web, listener) for make in link)
    ArticlePage.objects.update(external_url=f"{web.url}/ok", doi="")
    ArticlePage.objects.filter(slug="stem-cell-guidance").update(external_url=address)
    out = StringIO()
    call_command("check_article_links", "--timeout", "0.5", "--retries", "0", stdout=out)

    assert f"Broken: Stem Cell Guidance <{address}>: Not checked: {rule}" in out.getvalue()
    assert "Checked 14 article links: 13 working, 0 refusing link checkers, 1 broken." in out.getvalue()
    client.force_login(admin_user)
    [row] = select(client.get(reverse("article_broken_links")), "tbody tr")
    assert f"Not checked: {rule}" in text(row)


def test_an_answer_past_the_size_cap_is_not_read(db, settings, web):
    settings.OUTBOUND_MAX_ANSWER_BYTES = 1_000_000
    point_settings_at(settings, f"{web.url}/large")
    with pytest.raises(LookupFailed, match=r"^Crossref was not used: answer larger than 1 MB$"):
        look_up_doi("10.5555/anything")
    assert web.hung_up.wait(timeout=10), "the site read the whole answer"
    assert web.sent < LARGE_BYTES / 5


def test_an_answer_declaring_a_size_past_the_cap_is_not_read(db, settings, web):
    settings.OUTBOUND_MAX_ANSWER_BYTES = 1_000_000
    point_settings_at(settings, f"{web.url}/large-declared")
    with pytest.raises(LookupFailed, match=r"^Crossref was not used: answer larger than 1 MB$"):
        look_up_doi("10.5555/anything")
    assert web.hung_up.wait(timeout=10), "the site read the whole answer"
    assert web.sent < LARGE_BYTES / 5


def test_a_link_whose_headers_drip_in_is_given_up_at_the_deadline(settings, web):
    settings.OUTBOUND_TOTAL_SECONDS = 1
    started = time.monotonic()
    # Each byte comes well within the half-second wait: only a deadline for the whole stops it.
    result = check_link(f"{web.url}/drip-headers", timeout=0.5, retries=0)
    assert time.monotonic() - started < 2.5
    assert (result.status, result.problem) == (LinkStatus.BROKEN, "The site took longer than 1 s")


def test_a_registry_answer_that_drips_in_is_given_up_at_the_deadline(db, settings, web):
    point_settings_at(settings, f"{web.url}/drip-body")
    settings.OUTBOUND_TOTAL_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(ServiceUnreachable, match=r"^ClinicalTrials.gov took longer than 1 s$"):
        look_up_trial("NCT01854957")
    assert time.monotonic() - started < 4  # two tries of 1 s, and the pause between them
