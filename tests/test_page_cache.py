"""The whole-page cache, against the machine's real Redis: pages are served from it, and every
change a patient could see removes exactly the pages that show it."""

import datetime
import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.utils import timezone

from clinic.models import StandardPage
from conditions.models import ConditionPage, MedicalReviewer
from core import release
from core.models import ClinicSettings
from tests.medical_reviews import approve
from tests.servers import redis_answers, require
from tests.visitors import with_a_session

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def redis_page_cache(settings):
    require(redis_answers(REDIS_URL), f"a Redis server at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """Publish a page as the admin does, running what happens once the transaction commits."""

    def publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    return publish


def cache_state(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"]


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert cache_state(client, url) == "hit", url


def test_a_second_visit_is_served_from_the_cache_without_the_database(
    client, db, settings, django_assert_num_queries
):
    # Besides, every few seconds, one look for invalidations the cache could not take.
    settings.PAGE_CACHE_PENDING_CHECK_SECONDS = 3600
    first = client.get("/conditions/multiple-sclerosis/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/conditions/multiple-sclerosis/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]


def test_head_requests_are_answered_from_the_cache(client, db):
    client.get("/conditions/")
    response = client.head("/conditions/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_browsers_revalidate_cheaply_with_the_etag(client, db):
    etag = client.get("/conditions/")["ETag"]
    response = client.get("/conditions/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_query_strings_are_cached_separately(client, db):
    client.get("/search/?q=myelin")
    assert cache_state(client, "/search/?q=myelin") == "hit"
    assert cache_state(client, "/search/?q=cartilage") == "miss"


def test_logged_in_staff_never_get_or_fill_the_cache(client, db, admin_user):
    warm(client, "/conditions/")
    client.force_login(admin_user)
    response = client.get("/conditions/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    # Staff see the user bar; patients must never be served that page.
    assert "wagtail-userbar" in response.content.decode()
    client.logout()
    anonymous = client.get("/conditions/")
    assert "wagtail-userbar" not in anonymous.content.decode()


def test_errors_and_the_admin_are_not_cached(client, db):
    client.get("/no-such-page/")
    assert "X-Page-Cache" not in client.get("/no-such-page/")
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_publishing_a_condition_clears_it_and_the_pages_listing_it_only(client, ms_page, published):
    warm(client, ms_page.url, "/conditions/", "/", "/conditions/scleroderma/", "/sitemap.xml", "/about/")
    ms_page.summary = "A freshly reviewed summary."
    published(ms_page)

    for url in (ms_page.url, "/conditions/", "/", "/sitemap.xml"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
    assert "A freshly reviewed summary." in client.get("/conditions/").content.decode()
    # Pages that don't show the multiple sclerosis page keep their cached copy.
    assert cache_state(client, "/conditions/scleroderma/") == "hit"
    assert cache_state(client, "/about/") == "hit"


def test_unpublishing_removes_the_page_from_every_listing_at_once(
    client, ms_page, django_capture_on_commit_callbacks
):
    warm(client, ms_page.url, "/conditions/", "/")
    with django_capture_on_commit_callbacks(execute=True):
        ms_page.unpublish()
    assert client.get(ms_page.url).status_code == 404
    assert 'href="/conditions/multiple-sclerosis/"' not in client.get("/conditions/").content.decode()
    assert 'href="/conditions/multiple-sclerosis/"' not in client.get("/").content.decode()


def test_deleting_a_page_clears_its_listing(client, ms_page, django_capture_on_commit_callbacks):
    warm(client, "/conditions/")
    with django_capture_on_commit_callbacks(execute=True):
        ms_page.delete()
    assert 'href="/conditions/multiple-sclerosis/"' not in client.get("/conditions/").content.decode()


def test_a_new_slug_clears_the_old_address(client, ms_page, published):
    warm(client, ms_page.url, "/conditions/")
    ms_page.slug = "ms"
    published(ms_page)
    # The old address now redirects to the new one, instead of answering from the cache.
    response = client.get("/conditions/multiple-sclerosis/")
    assert response.status_code == 301 and response["Location"].endswith("/conditions/ms/")
    assert 'href="/conditions/ms/"' in client.get("/conditions/").content.decode()


def test_reordering_conditions_clears_the_listings(client, ms_page, django_capture_on_commit_callbacks):
    warm(client, "/conditions/", "/")
    with django_capture_on_commit_callbacks(execute=True):
        ms_page.move(ConditionPage.objects.get(slug="scleroderma"), pos="right")
    for url in ("/conditions/", "/"):
        html = client.get(url).content.decode()
        assert html.index('href="/conditions/scleroderma/"') < html.index(
            'href="/conditions/multiple-sclerosis/"'
        )


def test_a_reviewer_change_clears_the_pages_they_reviewed_and_their_profile(
    client, ms_page, make_staff, django_capture_on_commit_callbacks
):
    user = make_staff("ada", "Medical reviewers")
    reviewer = MedicalReviewer.objects.create(user=user, name="Dr Ada Byrne", credentials="MRCP")
    with django_capture_on_commit_callbacks(execute=True):
        approve(ms_page, user)
    profile = reviewer.get_absolute_url()
    warm(client, ms_page.url, profile, "/conditions/scleroderma/")

    with django_capture_on_commit_callbacks(execute=True):
        reviewer.credentials = "MRCP, PhD"
        reviewer.save()
    assert "Dr Ada Byrne</a>, MRCP, PhD" in client.get(ms_page.url).content.decode()
    assert "Dr Ada Byrne, MRCP, PhD" in client.get(profile).content.decode()
    assert cache_state(client, "/conditions/scleroderma/") == "hit"


def test_an_approval_clears_the_page_it_reviews(
    client, ms_page, make_staff, django_capture_on_commit_callbacks
):
    warm(client, ms_page.url)
    with django_capture_on_commit_callbacks(execute=True):
        approve(ms_page, make_staff("ada", "Medical reviewers"))
    assert "Medically reviewed by" in client.get(ms_page.url).content.decode()


def test_a_site_setting_change_clears_every_page(client, db, django_capture_on_commit_callbacks):
    warm(client, "/", "/conditions/scleroderma/", "/about/")
    with django_capture_on_commit_callbacks(execute=True):
        details = ClinicSettings.objects.get()
        details.phone = "020 7946 0999"
        details.save()
    for url in ("/", "/conditions/scleroderma/", "/about/"):
        assert "020 7946 0999" in client.get(url).content.decode(), url


def test_renaming_a_page_in_the_navigation_clears_every_page(client, db, published):
    warm(client, "/conditions/scleroderma/", "/privacy/")
    about = StandardPage.objects.get(slug="about")
    about.title = "About us"
    published(about)
    for url in ("/conditions/scleroderma/", "/privacy/"):
        assert ">About us</a>" in client.get(url).content.decode(), url


def test_a_page_nobody_links_to_clears_only_itself_and_site_listings(client, home, published):
    page = StandardPage(title="Fees", slug="fees", body=[])
    home.add_child(instance=page)
    published(page)
    warm(client, "/fees/", "/conditions/", "/sitemap.xml")
    page.introduction = "What treatment costs."
    published(page)
    assert cache_state(client, "/fees/") == "miss"
    assert cache_state(client, "/sitemap.xml") == "miss"
    assert cache_state(client, "/conditions/") == "hit"


@pytest.fixture
def article(db):
    from articles.models import ArticlePage

    return ArticlePage.objects.live().filter(conditions__slug="multiple-sclerosis").first()


def test_publishing_an_article_clears_its_condition_pages_listing_and_feed(client, article, published):
    ra = ConditionPage.objects.get(slug="rheumatoid-arthritis")
    warm(
        client,
        "/conditions/multiple-sclerosis/",
        ra.url,
        "/conditions/scleroderma/",
        "/articles/",
        "/articles/feed/",
    )
    article.title = "A retitled trial report"
    article.conditions.add(ra)
    published(article)
    for url in ("/conditions/multiple-sclerosis/", ra.url, "/articles/feed/"):
        assert "A retitled trial report" in client.get(url).content.decode(), url
    # The listing is paginated: the article may be on a later page, which was cleared with it.
    assert cache_state(client, "/articles/") == "miss"
    assert cache_state(client, "/conditions/scleroderma/") == "hit"


def test_an_article_taken_off_a_condition_leaves_that_page_at_once(client, article, published):
    ra = ConditionPage.objects.get(slug="rheumatoid-arthritis")
    warm(client, "/conditions/multiple-sclerosis/", ra.url)
    article.conditions.set([ra])
    published(article)
    assert article.title not in client.get("/conditions/multiple-sclerosis/").content.decode()
    assert article.title in client.get(ra.url).content.decode()


def test_unpublishing_an_article_removes_it_from_its_condition_page(
    client, article, django_capture_on_commit_callbacks
):
    warm(client, "/conditions/multiple-sclerosis/", "/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert article.title not in client.get("/conditions/multiple-sclerosis/").content.decode()
    assert article.title not in client.get("/articles/").content.decode()


def test_a_draft_article_change_clears_nothing(client, article, django_capture_on_commit_callbacks):
    warm(client, "/conditions/multiple-sclerosis/", "/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Not yet published"
        article.save_revision()
    assert cache_state(client, "/conditions/multiple-sclerosis/") == "hit"
    assert cache_state(client, "/articles/") == "hit"


def test_the_consultation_form_is_never_cached(client, db):
    for _ in range(2):
        response = client.get("/contact/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_renaming_the_consultation_page_updates_the_header_link_everywhere(client, db, published):
    from enquiries.models import ConsultationPage

    warm(client, "/", "/conditions/scleroderma/")
    consultation = ConsultationPage.objects.get()
    consultation.title = "Ask us to call you"
    published(consultation)
    for url in ("/", "/conditions/scleroderma/"):
        assert ">Ask us to call you</a>" in client.get(url).content.decode(), url


def test_an_uncached_page_takes_the_site_chrome_from_the_cache(client, db, django_assert_max_num_queries):
    uncached = with_a_session()
    client.get("/conditions/scleroderma/", **uncached)
    # Settings, navigation, the consultation link and the footer's links cost no query now.
    with django_assert_max_num_queries(12) as queries:
        client.get("/conditions/scleroderma/", **uncached)
    assert not any("core_clinicsettings" in query["sql"] for query in queries.captured_queries)
    assert not any("enquiries_consultationpage" in query["sql"] for query in queries.captured_queries)


# What used to go stale (issue 11): privacy, menus, images and links, outages, junk URLs, sessions.


PAGE_PASSWORD = "a-shared-secret"  # noqa: S105 - a test page's password


def password_protect(page, django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    with django_capture_on_commit_callbacks(execute=True):
        return PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
        )


def test_a_page_made_private_is_no_longer_served_from_the_cache(
    client, ms_page, django_capture_on_commit_callbacks
):
    warm(client, ms_page.url, "/sitemap.xml")
    password_protect(ms_page, django_capture_on_commit_callbacks)

    response = client.get(ms_page.url)
    assert ms_page.summary not in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert ms_page.url not in client.get("/sitemap.xml").content.decode()


def test_a_private_section_hides_every_page_below_it(client, ms_page, django_capture_on_commit_callbacks):
    warm(client, "/conditions/", ms_page.url)
    password_protect(ms_page.get_parent(), django_capture_on_commit_callbacks)
    for url in ("/conditions/", ms_page.url):
        assert 'name="password"' in client.get(url).content.decode(), url


def test_a_page_made_public_again_returns_to_the_sitemap(client, ms_page, django_capture_on_commit_callbacks):
    restriction = password_protect(ms_page, django_capture_on_commit_callbacks)
    warm(client, "/sitemap.xml")
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert ms_page.url in client.get("/sitemap.xml").content.decode()
    assert ms_page.summary in client.get(ms_page.url).content.decode()


def test_a_visitor_who_unlocked_a_private_page_reads_it_and_nobody_else_does(
    client, ms_page, django_capture_on_commit_callbacks
):
    from django.test import Client
    from django.urls import reverse

    restriction = password_protect(ms_page, django_capture_on_commit_callbacks)
    unlocked = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.id, ms_page.id]),
        {"password": PAGE_PASSWORD, "return_url": ms_page.url},
    )
    assert unlocked.status_code == 302
    for _ in range(2):
        response = client.get(ms_page.url)
        assert ms_page.summary in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"
    assert ms_page.summary not in Client().get(ms_page.url).content.decode()


def test_a_made_up_session_cookie_gets_the_cached_page(client, db):
    client.get("/conditions/")
    client.cookies["sessionid"] = "made-up-by-a-visitor"
    assert cache_state(client, "/conditions/") == "hit"


def test_a_page_taken_out_of_the_menu_leaves_every_page_s_navigation(client, admin_user, published):
    warm(client, "/", "/conditions/scleroderma/")
    about = StandardPage.objects.get(slug="about")
    about.show_in_menus = False
    published(about)
    for url in ("/", "/conditions/scleroderma/"):
        assert 'href="/about/"' not in client.get(url).content.decode(), url
    # Staff, whose pages are always rendered afresh, see the same navigation.
    client.force_login(admin_user)
    assert 'href="/about/"' not in client.get("/conditions/scleroderma/").content.decode()

    client.logout()
    about.show_in_menus = True
    published(about)
    assert 'href="/about/"' in client.get("/conditions/scleroderma/").content.decode()


@pytest.fixture
def image(db):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title="Clinic", file=get_test_image_file(), description="The old description")


def test_an_image_s_new_description_reaches_every_page_showing_it(
    client, ms_page, image, published, django_capture_on_commit_callbacks
):
    ms_page.hero_image = image
    published(ms_page)
    warm(client, ms_page.url, "/about/")
    with django_capture_on_commit_callbacks(execute=True):
        image.description = "A nurse talks a patient through an infusion"
        image.save()
    assert 'alt="A nurse talks a patient through an infusion"' in client.get(ms_page.url).content.decode()
    assert cache_state(client, "/about/") == "hit"


def test_a_reviewer_s_new_photo_description_reaches_the_pages_they_reviewed(
    client, ms_page, image, make_staff, django_capture_on_commit_callbacks
):
    user = make_staff("ada", "Medical reviewers")
    reviewer = MedicalReviewer.objects.create(user=user, name="Dr Ada Byrne", role="Neurologist", photo=image)
    with django_capture_on_commit_callbacks(execute=True):
        approve(ms_page, user)
    warm(client, ms_page.url, reviewer.get_absolute_url(), "/conditions/scleroderma/")
    with django_capture_on_commit_callbacks(execute=True):
        image.description = "Dr Byrne at her desk"
        image.save()
    assert cache_state(client, ms_page.url) == "miss"
    assert cache_state(client, reviewer.get_absolute_url()) == "miss"
    assert cache_state(client, "/conditions/scleroderma/") == "hit"


def link_from_about(target_html, published):
    about = StandardPage.objects.get(slug="about")
    about.body = [("paragraph", f"<p>Read {target_html}.</p>")]
    published(about)
    return about


def test_a_rich_text_link_follows_the_page_it_links_to(client, ms_page, published):
    link_from_about(f'<a linktype="page" id="{ms_page.pk}">about multiple sclerosis</a>', published)
    warm(client, "/about/")
    ms_page.slug = "ms"
    published(ms_page)
    assert 'href="/conditions/ms/"' in client.get("/about/").content.decode()


def test_a_link_to_a_replaced_document_follows_it(client, db, published, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Fees", file=ContentFile(b"2025 fees", name="fees-2025.pdf")
    )
    link_from_about(f'<a linktype="document" id="{document.pk}">our fees</a>', published)
    warm(client, "/about/")
    with django_capture_on_commit_callbacks(execute=True):
        document.file = ContentFile(b"2026 fees", name="fees-2026.pdf")
        document.save()
    html = client.get("/about/").content.decode()
    assert "/fees-2026" in html and "/fees-2025" not in html


def test_junk_query_parameters_are_served_from_the_page_s_own_entry(client, db, redis_page_cache):
    for number in range(40):
        response = client.get(f"/robots.txt?x={number}")
        assert response.status_code == 200
    assert cache_state(client, "/robots.txt?utm_source=newsletter") == "hit"
    warm(client, "/articles/")
    response = client.get("/articles/?utm_source=newsletter&fbclid=abc")
    assert response["X-Page-Cache"] == "hit"
    assert "utm_source" not in response.content.decode()
    assert len(stored_pages(redis_page_cache)) == 2


def test_parameters_a_page_reads_still_choose_what_it_shows(client, db):
    everything = client.get("/articles/").content.decode()
    filtered = client.get("/articles/?kind=news&utm_campaign=spring")
    assert filtered["X-Page-Cache"] == "miss" and filtered.content.decode() != everything
    assert cache_state(client, "/articles/?utm_campaign=autumn&kind=news") == "hit"
    # A parameter another page reads is junk here.
    assert cache_state(client, "/conditions/?kind=news") == "miss"
    assert cache_state(client, "/conditions/?q=anything&page=7") == "hit"


@pytest.mark.parametrize(
    "address, status",
    [
        ("/articles/?condition=junk-{}", 404),
        ("/articles/?page=9999{}", 404),
        ("/articles/?page=abc{}", 404),
        ("/search/?q=Myelin%20{}", 302),
        ("/search/?q=myelin&page=9999{}", 404),
    ],
)
def test_addresses_that_name_nothing_make_no_entry(client, db, redis_page_cache, address, status):
    for number in range(3):
        response = client.get(address.format(number))
        assert response.status_code == status
        assert "X-Page-Cache" not in response
    assert stored_pages(redis_page_cache) == []


def test_other_ports_and_host_names_share_the_site_s_entries(client, db, redis_page_cache):
    client.get("/conditions/")
    for host in ("testserver:8001", "testserver:9999", "127.0.0.1", "localhost:1234"):
        response = client.get("/conditions/", HTTP_HOST=host)
        assert response["X-Page-Cache"] == "hit", host
    assert len(stored_pages(redis_page_cache)) == 1


def stored_pages(cache):
    client = redis.Redis.from_url(REDIS_URL)
    return list(client.scan_iter(f"{cache.key_prefix}:*pagecache:page:*"))


def test_the_health_check_tells_a_cache_outage_from_a_database_outage(client, db, settings):
    from tests.servers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


def test_a_page_published_while_redis_hung_is_not_served_stale_once_it_answers(
    client, ms_page, throwaway_page_cache, published
):
    pages = ("/", "/conditions/", ms_page.url, "/articles/", "/search/?q=sclerosis")
    warm(client, *pages)
    throwaway_page_cache.hang()
    try:
        ms_page.summary = "Summary published during the cache outage."
        published(ms_page)
    finally:
        throwaway_page_cache.resume()
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
    for url in ("/", "/conditions/", ms_page.url, "/search/?q=sclerosis"):
        assert "Summary published during the cache outage." in client.get(url).content.decode(), url


def test_a_full_redis_is_a_miss_not_an_error(client, db, settings):
    from tests.servers import ThrowawayRedis

    full = ThrowawayRedis(["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"])
    try:
        settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": full.url}}
        filler = redis.Redis.from_url(full.url)
        with pytest.raises(redis.exceptions.ResponseError, match="maxmemory"):
            for number in range(10_000):
                filler.set(f"filler:{number}", b"x" * 10_000)
        for url in ("/conditions/", "/about/", "/healthz"):
            assert client.get(url).status_code == 200, url
    finally:
        full.kill()


def test_pages_scheduled_to_go_live_and_to_expire_update_the_listings(
    client, db, ms_page, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    warm(client, "/conditions/", "/sitemap.xml")
    ms_page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    ms_page.save()
    scleroderma = ConditionPage.objects.get(slug="scleroderma")
    scleroderma.summary = "Goes live on schedule."
    scleroderma.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    listing = client.get("/conditions/").content.decode()
    assert 'href="/conditions/multiple-sclerosis/"' not in listing
    assert "Goes live on schedule." in listing
    assert ms_page.url not in client.get("/sitemap.xml").content.decode()


def test_a_copied_and_published_page_joins_the_listings(
    client, ms_page, admin_user, django_capture_on_commit_callbacks
):
    warm(client, "/conditions/")
    with django_capture_on_commit_callbacks(execute=True):
        ms_page.copy(update_attrs={"title": "Lupus", "slug": "lupus"}, keep_live=True, user=admin_user)
    assert 'href="/conditions/lupus/"' in client.get("/conditions/").content.decode()


def test_with_the_page_cache_turned_off_every_request_renders_the_page(client, db, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/conditions/")
    response = client.get("/conditions/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_the_release_changes_with_a_template_not_with_the_checkouts_folder(tmp_path):
    # Every server running the same code files pages under the same release, wherever it runs from.
    def release_of(checkout):
        return release.digest_of_files(tmp_path / checkout, {tmp_path / checkout / "templates"})

    for checkout in ("one", "two"):
        (tmp_path / checkout / "templates").mkdir(parents=True)
        (tmp_path / checkout / "templates" / "base.html").write_text("<title>Clinic</title>")
    assert release_of("one") == release_of("two")
    (tmp_path / "two" / "templates" / "base.html").write_text("<title>The clinic</title>")
    assert release_of("one") != release_of("two")
