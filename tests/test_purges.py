"""Every change a patient could see purges the cache in front of the site (Varnish, a CDN) of
exactly the pages that show it, through Wagtail's frontend cache, here pointed at a real local
HTTP server that records the PURGE requests (the `cdn` fixture)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from clinic.models import StandardPage
from conditions.models import ConditionPage, MedicalReviewer
from core.models import ClinicSettings
from enquiries.models import ConsultationPage
from tests.medical_reviews import approve

# The site-wide listings, which any change to a page may alter.
LISTINGS = {"/sitemap.xml", "/search/"}
# Pages in the initial content that show no condition page's own content.
UNRELATED = {"/about/", "/privacy/", "/contact/"}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a change as the admin does, with what happens once its transaction commits (the purge)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def publish(page):
    page.save_revision().publish()


@pytest.fixture
def scleroderma(db):
    return ConditionPage.objects.get(slug="scleroderma")


@pytest.fixture
def article(db):
    from articles.models import ArticlePage

    return ArticlePage.objects.live().filter(conditions__slug="multiple-sclerosis").first()


@pytest.fixture
def image(db):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title="Clinic", file=get_test_image_file(), description="The old description")


def every_page_and_listing():
    from wagtail.models import Page

    return {page.url for page in Page.objects.live().filter(depth__gt=1)} | {"/articles/feed/"} | LISTINGS


def test_publishing_a_condition_purges_it_and_the_pages_listing_it_only(cdn, scleroderma, committed):
    committed(publish, scleroderma)
    assert set(cdn) >= {"/conditions/scleroderma/", "/conditions/", "/", "/articles/"} | LISTINGS
    assert not set(cdn) & {"/conditions/multiple-sclerosis/", *UNRELATED}


def test_a_page_nobody_links_to_purges_only_itself_and_the_site_listings(cdn, home, committed):
    page = StandardPage(title="Fees", slug="fees", body=[])
    home.add_child(instance=page)
    committed(publish, page)
    cdn.clear()
    page.introduction = "What treatment costs."
    committed(publish, page)
    assert set(cdn) == {"/fees/"} | LISTINGS


def test_unpublishing_a_condition_purges_it_and_its_listings(cdn, ms_page, committed):
    committed(ms_page.unpublish)
    assert set(cdn) >= {ms_page.url, "/conditions/", "/"} | LISTINGS
    assert not set(cdn) & ({"/conditions/scleroderma/"} | UNRELATED)


def test_deleting_a_condition_purges_it_and_its_listings(cdn, ms_page, committed):
    url = ms_page.url
    committed(ms_page.delete)
    assert set(cdn) >= {url, "/conditions/", "/"} | LISTINGS
    assert not set(cdn) & UNRELATED


def test_a_new_slug_purges_the_old_address_and_the_new(cdn, ms_page, committed):
    ms_page.slug = "ms"
    committed(publish, ms_page)
    assert set(cdn) >= {"/conditions/multiple-sclerosis/", "/conditions/ms/", "/conditions/", "/"}
    assert not set(cdn) & UNRELATED


def test_reordering_conditions_purges_the_listings(cdn, ms_page, scleroderma, committed):
    committed(ms_page.move, scleroderma, pos="right")
    assert set(cdn) >= {"/conditions/", "/", ms_page.url}
    assert not set(cdn) & UNRELATED


def test_a_reviewer_change_purges_the_pages_they_reviewed_and_their_profile(
    cdn, ms_page, make_staff, committed
):
    user = make_staff("ada", "Medical reviewers")
    reviewer = MedicalReviewer.objects.create(user=user, name="Dr Ada Byrne", credentials="MRCP")
    committed(approve, ms_page, user)
    assert set(cdn) >= {ms_page.url, reviewer.get_absolute_url()}
    cdn.clear()
    reviewer.credentials = "MRCP, PhD"
    committed(reviewer.save)
    assert set(cdn) >= {ms_page.url, reviewer.get_absolute_url()}
    assert not set(cdn) & ({"/conditions/scleroderma/"} | UNRELATED)


@pytest.mark.parametrize(
    "change",
    [
        "clinic details",
        "a page renamed in the navigation",
        "a page taken out of the menu",
        "consultation renamed",
    ],
)
def test_a_change_to_what_every_page_shows_purges_every_page(cdn, db, committed, change):
    if change == "clinic details":
        details = ClinicSettings.objects.get()
        details.phone = "020 7946 0999"
        committed(details.save)
    elif change == "consultation renamed":
        consultation = ConsultationPage.objects.get()
        consultation.title = "Ask us to call you"
        committed(publish, consultation)
    else:
        about = StandardPage.objects.get(slug="about")
        if change == "a page renamed in the navigation":
            about.title = "About us"
        else:
            about.show_in_menus = False
        committed(publish, about)
    assert set(cdn) == every_page_and_listing()


def test_publishing_an_article_purges_its_condition_pages_the_listing_and_feed(cdn, article, committed):
    ra = ConditionPage.objects.get(slug="rheumatoid-arthritis")
    article.title = "A retitled trial report"
    article.conditions.add(ra)
    committed(publish, article)
    assert set(cdn) >= {
        article.url,
        "/conditions/multiple-sclerosis/",
        ra.url,
        "/articles/",
        "/articles/feed/",
    }
    assert not set(cdn) & ({"/conditions/scleroderma/"} | UNRELATED)


def test_an_article_taken_off_a_condition_purges_that_page_and_its_new_one(cdn, article, committed):
    ra = ConditionPage.objects.get(slug="rheumatoid-arthritis")
    article.conditions.set([ra])
    committed(publish, article)
    assert set(cdn) >= {"/conditions/multiple-sclerosis/", ra.url}


def test_unpublishing_an_article_purges_its_condition_page_and_the_listing(cdn, article, committed):
    committed(article.unpublish)
    assert set(cdn) >= {article.url, "/conditions/multiple-sclerosis/", "/articles/", "/articles/feed/"}
    assert not set(cdn) & UNRELATED


def test_a_draft_purges_nothing(cdn, article, committed):
    article.title = "Not yet published"
    committed(article.save_revision)
    assert cdn == []


def password_protect(page, committed):
    return committed(
        PageViewRestriction.objects.create,
        page=page,
        restriction_type=PageViewRestriction.PASSWORD,
        password="a-shared-secret",  # noqa: S106 - a test page's password
    )


def test_a_page_made_private_or_public_again_is_purged_with_the_listings(cdn, ms_page, committed):
    restriction = password_protect(ms_page, committed)
    assert set(cdn) >= {ms_page.url, "/conditions/", "/"} | LISTINGS
    assert not set(cdn) & ({"/conditions/scleroderma/"} | UNRELATED)
    cdn.clear()
    committed(restriction.delete)
    assert set(cdn) >= {ms_page.url, "/conditions/", "/"} | LISTINGS


def test_a_private_section_purges_every_page_below_it(cdn, ms_page, committed):
    password_protect(ms_page.get_parent(), committed)
    # The conditions index is in the main navigation, which every page shows.
    assert set(cdn) == every_page_and_listing()


def test_an_image_change_purges_the_pages_showing_it(cdn, scleroderma, image, committed):
    scleroderma.hero_image = image
    committed(publish, scleroderma)
    cdn.clear()
    image.description = "A nurse talks a patient through an infusion"
    committed(image.save)
    # The page, and the listings whose cards show its picture.
    assert set(cdn) >= {"/conditions/scleroderma/", "/conditions/", "/"}
    assert not set(cdn) & ({"/conditions/multiple-sclerosis/"} | UNRELATED)


def test_a_reviewer_s_photo_change_purges_the_pages_they_reviewed(cdn, ms_page, image, make_staff, committed):
    user = make_staff("ada", "Medical reviewers")
    reviewer = MedicalReviewer.objects.create(user=user, name="Dr Ada Byrne", role="Neurologist", photo=image)
    committed(approve, ms_page, user)
    cdn.clear()
    image.description = "Dr Byrne at her desk"
    committed(image.save)
    assert set(cdn) >= {ms_page.url, reviewer.get_absolute_url()}
    assert not set(cdn) & ({"/conditions/scleroderma/"} | UNRELATED)


def link_from_about(target_html, committed):
    about = StandardPage.objects.get(slug="about")
    about.body = [("paragraph", f"<p>Read {target_html}.</p>")]
    committed(publish, about)


def test_a_page_s_new_slug_purges_the_pages_linking_to_it(cdn, ms_page, committed):
    link_from_about(f'<a linktype="page" id="{ms_page.pk}">about multiple sclerosis</a>', committed)
    cdn.clear()
    ms_page.slug = "ms"
    committed(publish, ms_page)
    assert "/about/" in cdn
    assert not set(cdn) & {"/privacy/", "/contact/"}


def test_a_replaced_document_purges_the_pages_linking_to_it(cdn, db, committed):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Fees", file=ContentFile(b"2025", name="fees-2025.pdf")
    )
    link_from_about(f'<a linktype="document" id="{document.pk}">our fees</a>', committed)
    cdn.clear()
    document.file = ContentFile(b"2026", name="fees-2026.pdf")
    committed(document.save)
    assert set(cdn) == {"/about/"} | LISTINGS


def test_a_new_redirect_purges_the_address_it_answers_for(cdn, db, committed):
    """The cache in front may have kept the old answer at that address (a 404, or an earlier redirect)."""
    from wagtail.contrib.redirects.models import Redirect

    committed(Redirect.objects.create, old_path="/old-fees", redirect_link="/about/")
    assert set(cdn) == {"/old-fees", "/old-fees/"}


def test_pages_going_live_and_expiring_on_schedule_purge_the_listings(cdn, ms_page, scleroderma, committed):
    ms_page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    ms_page.save()
    scleroderma.summary = "Goes live on schedule."
    scleroderma.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    cdn.clear()
    committed(call_command, "publish_scheduled")
    assert set(cdn) >= {ms_page.url, scleroderma.url, "/conditions/", "/"} | LISTINGS


def test_a_copied_and_published_page_purges_its_listings(cdn, ms_page, admin_user, committed):
    committed(ms_page.copy, update_attrs={"title": "Lupus", "slug": "lupus"}, keep_live=True, user=admin_user)
    assert set(cdn) >= {"/conditions/lupus/", "/conditions/", "/"} | LISTINGS
