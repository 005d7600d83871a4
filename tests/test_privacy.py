"""A page kept from the public (for signed-in people only, or behind a password) is nowhere an
anonymous visitor looks: no list, feed, form, search result or link names it, and the public
addresses that take a page's id answer as if it did not exist."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage
from conditions.models import ConditionPage, MedicalReviewer
from enquiries.forms import OTHER_CONDITION
from feedback.models import PageFeedback
from tests.article_pages import add_article
from tests.condition_text import in_section
from tests.html import select, select_one, text
from tests.medical_reviews import approve
from tests.team import publish_team

SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def reviewer(make_staff):
    return make_staff("amara", "Medical reviewers")


@pytest.fixture
def new_condition(ms_page, article_index, reviewer):
    """A condition page the clinic is preparing: reviewed, listed with an article that is also about
    multiple sclerosis, and still public."""
    page = ConditionPage(
        title="Myasthenia gravis",
        slug="myasthenia-gravis",
        summary="Our trial protocol for myasthenia gravis, still before the ethics committee.",
        body=[],
    )
    ms_page.get_parent().add_child(instance=page)
    approve(page, reviewer)
    about_both = ArticlePage.objects.live().filter(conditions=ms_page).order_by("pk").first()
    about_both.conditions.set([ms_page, page])
    about_both.save_revision().publish()
    return page


@pytest.fixture
def login_only_condition(new_condition):
    PageViewRestriction.objects.create(page=new_condition, restriction_type=PageViewRestriction.LOGIN)
    return new_condition


@pytest.fixture
def password_protected_article(article_index, ms_page, reviewer):
    """An article about multiple sclerosis, behind a password, which the MS page's text cites."""
    article = add_article(
        article_index, [ms_page], title="Interim results of the stem cell registry", kind="randomised-trial"
    )
    PageViewRestriction.objects.create(
        page=article,
        restriction_type=PageViewRestriction.PASSWORD,
        password="a-shared-secret",  # noqa: S106 - a test page's password
    )
    ms_page.body = in_section(f'<p>Early results <a linktype="page" id="{article.pk}">were reported</a>.</p>')
    approve(ms_page, reviewer)
    return article


def what_shows(condition=None, article=None):
    """What would give a private page away: its title, summary and addresses."""
    shown = []
    for page in filter(None, (condition, article)):
        shown += [page.title, page.summary, page.url]
    if article is not None and article.external_url:
        shown.append(article.external_url)
    return shown


def test_no_public_address_gives_a_private_page_away(
    ms_page, consultation, reviewer, login_only_condition, password_protected_article
):
    profile = MedicalReviewer.objects.get(user=reviewer)
    team = publish_team(profile)
    public_addresses = [
        "/",
        "/conditions/",
        *(page.url for page in ConditionPage.objects.live().exclude(pk=login_only_condition.pk)),
        "/articles/",
        "/articles/?condition=multiple-sclerosis",
        "/articles/feed/",
        *(page.url for page in ArticlePage.objects.live().exclude(pk=password_protected_article.pk)),
        "/search/?q=myasthenia",
        "/search/?q=interim",
        "/sitemap.xml",
        consultation.url,
        team.url,
        profile.get_absolute_url(),
        reverse("feedback_thanks", args=[ms_page.pk]),
    ]
    private = what_shows(login_only_condition, password_protected_article)
    visitor = Client()
    given_away = {}
    for url in public_addresses:
        response = visitor.get(url)
        assert response.status_code == 200, url
        found = [words for words in private if words in response.content.decode()]
        if found:
            given_away[url] = found
    assert given_away == {}


def test_a_private_condition_filters_no_list_as_if_it_did_not_exist(client, login_only_condition):
    response = client.get(f"/articles/?condition={login_only_condition.slug}")
    assert response.status_code == 404
    assert login_only_condition.title not in response.content.decode()


def test_a_page_made_private_leaves_the_cached_lists_at_once(
    client, new_condition, django_capture_on_commit_callbacks
):
    lists = ["/", "/conditions/", "/articles/", "/contact/"]
    for url in lists:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=new_condition, restriction_type=PageViewRestriction.LOGIN)
    still_shown = [url for url in lists if new_condition.title in client.get(url).content.decode()]
    assert still_shown == []


def test_feedback_about_a_private_page_is_refused_as_about_a_page_that_asks_for_none(
    client, login_only_condition
):
    # Refused with the form again (400), as for a draft or the home page: an id gives away no more
    # than that the page does not ask for feedback.
    response = client.post("/feedback/", {"page": login_only_condition.pk, "helpful": "yes"}, **SAME_SITE)
    assert response.status_code == 400
    assert login_only_condition.title not in response.content.decode()
    assert not PageFeedback.objects.exists()


@pytest.mark.parametrize("page", ["login-only condition", "home page"])
def test_thanks_for_feedback_is_only_about_public_condition_pages(client, login_only_condition, home, page):
    about = login_only_condition if page == "login-only condition" else home
    assert client.get(reverse("feedback_thanks", args=[about.pk])).status_code == 404


def test_the_consultation_form_offers_only_public_conditions(client, consultation, login_only_condition):
    choices = select(client.get(consultation.url), 'fieldset:has(input[type="radio"][value="other"]) label')
    offered = [text(label) for label in choices]
    public = ConditionPage.objects.live().exclude(pk=login_only_condition.pk).order_by("path")
    assert offered == [*public.values_list("title", flat=True), OTHER_CONDITION]


def test_while_the_team_page_is_private_the_review_line_leads_to_the_reviewer_s_profile(
    client, ms_page, reviewer
):
    approve(ms_page, reviewer)
    profile = MedicalReviewer.objects.get(user=reviewer)
    team = publish_team(profile)
    PageViewRestriction.objects.create(page=team, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(ms_page.url)
    byline = select_one(response, "p.review-byline")
    assert (
        text(byline).startswith("Medically reviewed by") and byline.a["href"] == f"/reviewers/{profile.pk}/"
    )
    assert team.url not in response.content.decode()
