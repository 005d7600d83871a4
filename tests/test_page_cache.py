"""The whole-page cache, against the machine's real Redis: pages are served from it, and every
change a patient could see removes exactly the pages that show it."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches

from clinic.models import ClinicSettings, StandardPage
from conditions.models import ConditionPage, MedicalReviewer
from tests.medical_reviews import approve

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def redis_page_cache(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.ResilientRedisCache",
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


@pytest.fixture
def ms(db):
    return ConditionPage.objects.get(slug="multiple-sclerosis")


def test_a_second_visit_is_served_from_the_cache_without_the_database(client, db, django_assert_num_queries):
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


def test_publishing_a_condition_clears_it_and_the_pages_listing_it_only(client, ms, published):
    warm(client, ms.url, "/conditions/", "/", "/conditions/scleroderma/", "/sitemap.xml", "/about/")
    ms.summary = "A freshly reviewed summary."
    published(ms)

    for url in (ms.url, "/conditions/", "/", "/sitemap.xml"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
    assert "A freshly reviewed summary." in client.get("/conditions/").content.decode()
    # Pages that don't show the multiple sclerosis page keep their cached copy.
    assert cache_state(client, "/conditions/scleroderma/") == "hit"
    assert cache_state(client, "/about/") == "hit"


def test_unpublishing_removes_the_page_from_every_listing_at_once(
    client, ms, django_capture_on_commit_callbacks
):
    warm(client, ms.url, "/conditions/", "/")
    with django_capture_on_commit_callbacks(execute=True):
        ms.unpublish()
    assert client.get(ms.url).status_code == 404
    assert 'href="/conditions/multiple-sclerosis/"' not in client.get("/conditions/").content.decode()
    assert 'href="/conditions/multiple-sclerosis/"' not in client.get("/").content.decode()


def test_deleting_a_page_clears_its_listing(client, ms, django_capture_on_commit_callbacks):
    warm(client, "/conditions/")
    with django_capture_on_commit_callbacks(execute=True):
        ms.delete()
    assert 'href="/conditions/multiple-sclerosis/"' not in client.get("/conditions/").content.decode()


def test_a_new_slug_clears_the_old_address(client, ms, published):
    warm(client, ms.url, "/conditions/")
    ms.slug = "ms"
    published(ms)
    # The old address now redirects to the new one, instead of answering from the cache.
    response = client.get("/conditions/multiple-sclerosis/")
    assert response.status_code == 301 and response["Location"].endswith("/conditions/ms/")
    assert 'href="/conditions/ms/"' in client.get("/conditions/").content.decode()


def test_reordering_conditions_clears_the_listings(client, ms, django_capture_on_commit_callbacks):
    warm(client, "/conditions/", "/")
    with django_capture_on_commit_callbacks(execute=True):
        ms.move(ConditionPage.objects.get(slug="scleroderma"), pos="right")
    for url in ("/conditions/", "/"):
        html = client.get(url).content.decode()
        assert html.index('href="/conditions/scleroderma/"') < html.index(
            'href="/conditions/multiple-sclerosis/"'
        )


def test_a_reviewer_change_clears_the_pages_they_reviewed_and_their_profile(
    client, ms, make_staff, django_capture_on_commit_callbacks
):
    user = make_staff("ada", "Medical reviewers")
    reviewer = MedicalReviewer.objects.create(user=user, name="Dr Ada Byrne", credentials="MRCP")
    with django_capture_on_commit_callbacks(execute=True):
        approve(ms, user)
    profile = reviewer.get_absolute_url()
    warm(client, ms.url, profile, "/conditions/scleroderma/")

    with django_capture_on_commit_callbacks(execute=True):
        reviewer.credentials = "MRCP, PhD"
        reviewer.save()
    assert "Dr Ada Byrne</a>, MRCP, PhD" in client.get(ms.url).content.decode()
    assert "Dr Ada Byrne, MRCP, PhD" in client.get(profile).content.decode()
    assert cache_state(client, "/conditions/scleroderma/") == "hit"


def test_an_approval_clears_the_page_it_reviews(client, ms, make_staff, django_capture_on_commit_callbacks):
    warm(client, ms.url)
    with django_capture_on_commit_callbacks(execute=True):
        approve(ms, make_staff("ada", "Medical reviewers"))
    assert "Medically reviewed by" in client.get(ms.url).content.decode()


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
    uncached = {"HTTP_COOKIE": "sessionid=none"}
    client.get("/conditions/scleroderma/", **uncached)
    # Settings, navigation, the consultation link and the footer's links cost no query now.
    with django_assert_max_num_queries(12) as queries:
        client.get("/conditions/scleroderma/", **uncached)
    assert not any("clinic_clinicsettings" in query["sql"] for query in queries.captured_queries)
    assert not any("enquiries_consultationpage" in query["sql"] for query in queries.captured_queries)
