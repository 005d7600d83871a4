"""The link check, against a real HTTP server on this machine that answers as sites on the web do."""

import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Revision

from articles.link_health import check_link, check_links
from articles.models import ArticlePage, LinkStatus
from tests.admin_forms import article_page_form

TIMEOUT = 0.5


class Answers(BaseHTTPRequestHandler):
    """Each path answers like a kind of site: working, moved, gone, refusing robots, or silent."""

    status_for_path = {
        "/ok": 200,
        "/gone": 404,
        "/removed": 410,
        "/forbidden": 403,
        "/busy": 429,
        "/error": 500,
    }

    def do_GET(self):
        self.server.hits[self.path] += 1
        if self.path == "/hangs":
            self.server.release.wait(timeout=30)
            return
        if self.path in ("/moved", "/loop"):
            self.send_response(301)
            self.send_header("Location", "/ok" if self.path == "/moved" else "/loop")
        else:
            self.send_response(self.status_for_path.get(self.path, 404))
            self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def closed_port():
    """A port on this machine nothing listens on, which the site may ask."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return closed.getsockname()[1]


@pytest.fixture
def server(settings):
    """The stand-in web, on this machine, which the site may ask (production refuses it)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    httpd.daemon_threads = True
    httpd.hits = Counter()
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES = [f"127.0.0.1:{httpd.server_address[1]}"]
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "path, status, code, problem",
    [
        ("/ok", LinkStatus.OK, 200, ""),
        ("/gone", LinkStatus.BROKEN, 404, "The site answered 404 (Not Found)"),
        ("/removed", LinkStatus.BROKEN, 410, "The site answered 410 (Gone)"),
        ("/error", LinkStatus.BROKEN, 500, "The site answered 500 (Internal Server Error)"),
        ("/forbidden", LinkStatus.BLOCKED, 403, "The site answered 403 (Forbidden)"),
        ("/busy", LinkStatus.BLOCKED, 429, "The site answered 429 (Too Many Requests)"),
    ],
)
def test_classifies_each_answer(server, path, status, code, problem):
    result = check_link(server.url + path, timeout=TIMEOUT)
    assert (result.status, result.status_code, result.problem) == (status, code, problem)
    assert result.final_url == server.url + path


def test_follows_redirects_and_records_where_they_end(server):
    result = check_link(server.url + "/moved", timeout=TIMEOUT)
    assert (result.status, result.status_code, result.final_url) == (LinkStatus.OK, 200, server.url + "/ok")


def test_a_redirect_loop_is_broken(server):
    result = check_link(server.url + "/loop", timeout=TIMEOUT)
    assert (result.status, result.problem) == (LinkStatus.BROKEN, "Redirects go round in a loop")


def test_a_silent_site_is_retried_then_broken_and_never_hangs_the_check(server):
    results = []
    checker = threading.Thread(
        target=lambda: results.append(check_link(server.url + "/hangs", timeout=TIMEOUT, retries=1))
    )
    checker.start()
    # Two tries of TIMEOUT each, with ample slack for a slow machine; the server itself waits 30 s.
    checker.join(timeout=10)
    assert not checker.is_alive(), "the link check hung on a silent site"
    assert results[0].status == LinkStatus.BROKEN
    assert results[0].problem == "Timed out (2 tries of 0.5 s)"
    assert server.hits["/hangs"] == 2


def test_a_refused_connection_is_broken(settings):
    port = closed_port()
    settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES = [f"127.0.0.1:{port}"]
    result = check_link(f"http://127.0.0.1:{port}/paper", timeout=TIMEOUT)
    assert (result.status, result.problem) == (LinkStatus.BROKEN, "The site refused the connection")


def test_checks_several_links_at_once_and_each_address_once(server):
    urls = [server.url + path for path in ("/ok", "/gone", "/ok", "/forbidden", "/hangs")]
    results = check_links(urls, workers=4, timeout=TIMEOUT, retries=0)
    assert {url.removeprefix(server.url): result.status for url, result in results.items()} == {
        "/ok": LinkStatus.OK,
        "/gone": LinkStatus.BROKEN,
        "/forbidden": LinkStatus.BLOCKED,
        "/hangs": LinkStatus.BROKEN,
    }
    assert server.hits["/ok"] == 1


@pytest.fixture
def articles_linking_to(server, db):
    """Point every article at the test server: all working except the ones named."""

    def point(**paths_by_slug):
        ArticlePage.objects.update(external_url=server.url + "/ok", doi="")
        for slug, path in paths_by_slug.items():
            ArticlePage.objects.filter(slug=slug).update(external_url=server.url + path)
        return {slug: ArticlePage.objects.get(slug=slug) for slug in paths_by_slug}

    return point


def run_check():
    out = StringIO()
    call_command("check_article_links", "--timeout", str(TIMEOUT), "--retries", "0", stdout=out)
    return out.getvalue()


def test_the_command_records_each_articles_verdict_without_new_revisions(server, articles_linking_to):
    articles_linking_to(
        **{
            "stem-cell-guidance": "/gone",
            "what-to-ask-a-stem-cell-clinic": "/forbidden",
            "stem-cell-clinics-questions-to-ask": "/moved",
        }
    )
    revisions = Revision.objects.count()
    output = run_check()

    guidance = ArticlePage.objects.get(slug="stem-cell-guidance")
    assert (guidance.link_status, guidance.link_status_code) == (LinkStatus.BROKEN, 404)
    assert guidance.link_checked_at is not None
    moved = ArticlePage.objects.get(slug="stem-cell-clinics-questions-to-ask")
    assert (moved.link_status, moved.link_final_url) == (LinkStatus.OK, server.url + "/ok")
    assert ArticlePage.objects.get(slug="what-to-ask-a-stem-cell-clinic").link_status == LinkStatus.BLOCKED
    assert ArticlePage.objects.filter(link_status=LinkStatus.OK).count() == 12
    assert Revision.objects.count() == revisions

    assert "Broken: Stem Cell Guidance" in output
    assert "Checked 14 article links: 12 working, 1 refusing link checkers, 1 broken." in output


def test_with_no_network_the_command_says_so_and_marks_nothing_broken(db, settings):
    port = closed_port()
    settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES = [f"127.0.0.1:{port}"]
    ArticlePage.objects.update(external_url=f"http://127.0.0.1:{port}/paper", link_status=LinkStatus.OK)
    with pytest.raises(
        CommandError, match=r"^No site answered \(The site refused the connection, .*\)\. Nothing was changed"
    ):
        run_check()
    assert set(ArticlePage.objects.values_list("link_status", flat=True)) == {LinkStatus.OK}


def test_broken_links_show_in_the_admin_report_and_listing(client, admin_user, articles_linking_to):
    articles_linking_to(**{"stem-cell-guidance": "/gone"})
    run_check()
    client.force_login(admin_user)

    report = client.get(reverse("article_broken_links")).content.decode()
    assert "Stem Cell Guidance" in report and "The site answered 404 (Not Found)" in report
    assert "What to Ask a Stem Cell Clinic" not in report

    listing = client.get(reverse("articles:index"), {"link_status": "broken"})
    assert [page.title for page in listing.context["object_list"]] == ["Stem Cell Guidance"]
    assert 'w-text-critical-200" title="The site answered 404 (Not Found)"' in listing.content.decode()


def test_publishing_keeps_the_finding_until_the_link_changes(articles_linking_to):
    guidance = articles_linking_to(**{"stem-cell-guidance": "/gone"})["stem-cell-guidance"]
    guidance.summary = "Reworded by marketing."
    draft = guidance.save_revision()  # saved before the check ran: it knows nothing of the finding
    run_check()
    Revision.objects.get(pk=draft.pk).publish()  # later, as the admin would: from the database
    guidance.refresh_from_db()
    assert (guidance.summary, guidance.link_status) == ("Reworded by marketing.", LinkStatus.BROKEN)

    guidance.external_url = "https://example.org/its-new-home"
    guidance.save_revision().publish()
    guidance.refresh_from_db()
    assert (guidance.link_status, guidance.link_checked_at) == (LinkStatus.UNCHECKED, None)


def test_editing_in_the_admin_keeps_the_finding_until_the_link_changes(
    client, admin_user, articles_linking_to
):
    guidance = articles_linking_to(**{"stem-cell-guidance": "/gone"})["stem-cell-guidance"]
    run_check()
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:edit", args=[guidance.pk])

    def publish(**changes):
        fields = {
            "external_url": guidance.external_url,
            "summary": guidance.summary,
            "kind": guidance.kind,
            "source": guidance.source,
            **changes,
        }
        form = article_page_form(
            title=guidance.title,
            slug=guidance.slug,
            conditions=guidance.conditions.all(),
            action="action-publish",
            **fields,
        )
        assert client.post(url, form).status_code == 302
        guidance.refresh_from_db()

    publish(summary="Reworded by marketing.")
    assert (guidance.summary, guidance.link_status) == ("Reworded by marketing.", LinkStatus.BROKEN)
    publish(external_url="https://example.org/its-new-home")
    assert guidance.link_status == LinkStatus.UNCHECKED
