"""'Was this page helpful?' on every condition page: answered without a cookie, so the page stays
in the shared caches; refused from other sites and beyond the limit per address; reported per page
and month to editors and reviewers, who may delete an answer that should not be kept."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from conditions.models import ConditionPage
from feedback.models import PageFeedback
from tests.html import select, select_one, text
from tests.second_factor import StaffClient

SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


def answer(client, page, helpful="yes", comment="", **headers):
    data = {"page": page.pk, "comment": comment}
    if helpful is not None:
        data["helpful"] = helpful
    return client.post("/feedback/", data, **(SAME_SITE | headers))


@pytest.mark.parametrize("slug", ["multiple-sclerosis", "rheumatoid-arthritis", "scleroderma"])
def test_every_condition_page_asks_and_stays_cacheable(client, db, slug):
    page = ConditionPage.objects.get(slug=slug)
    first = client.get(page.url)
    form = select_one(first, "form.page-feedback")
    assert "Was this page helpful?" in text(form.legend)
    assert {radio["value"] for radio in form.select('input[type="radio"]')} == {"yes", "no"}
    assert "Please don't include your name, contact details or anything about your health" in text(form)
    # No cookie, no token: the cache in front may give every visitor the same copy.
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    assert "public" in first["Cache-Control"]


def test_each_page_s_form_answers_for_that_page(client, db):
    """Each page's form names that page, so that an answer is counted for the page it was given on."""
    for slug in ("multiple-sclerosis", "rheumatoid-arthritis", "scleroderma"):
        page = ConditionPage.objects.get(slug=slug)
        form = select_one(client.get(page.url), "form.page-feedback")
        fields = {field["name"]: field.get("value", "") for field in form.select('input[type="hidden"]')}
        assert client.post(form["action"], fields | {"helpful": "yes"}, **SAME_SITE).status_code == 303
    answered = PageFeedback.objects.order_by("pk").values_list("page__slug", flat=True)
    assert list(answered) == ["multiple-sclerosis", "rheumatoid-arthritis", "scleroderma"]


def test_an_answer_is_stored_and_thanked_for(client, ms_page):
    response = answer(client, ms_page, "no", "The risks section is hard to find.")
    assert response.status_code == 303
    feedback = PageFeedback.objects.get()
    assert (feedback.page_id, feedback.helpful, feedback.comment) == (
        ms_page.pk,
        False,
        "The risks section is hard to find.",
    )
    thanks = client.get(response["Location"])
    assert "Thank you for your feedback" in thanks.content.decode()
    assert f'href="{ms_page.url}"' in thanks.content.decode()
    assert "no-store" in thanks["Cache-Control"]


def test_without_yes_or_no_the_visitor_is_told_and_keeps_their_comment(client, ms_page):
    response = answer(client, ms_page, helpful=None, comment="Wombats are not mentioned.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose yes or no." in html and "Wombats are not mentioned." in html
    assert not PageFeedback.objects.exists()


def test_a_comment_too_long_is_refused_with_a_message(client, ms_page):
    response = answer(client, ms_page, comment="w" * 1001)
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()


@pytest.mark.parametrize(
    "comment, message",
    [
        ("Helpful for \u202eecalevoL adA", "Remove the invisible formatting characters"),
        ("Ask \u2066Dr Smith\u2069 about it", "Remove the invisible formatting characters"),
        ("Helpful\x1b[31m page", "Remove the invisible control characters"),
    ],
)
def test_a_comment_that_hides_or_reorders_its_words_is_refused_and_kept(client, ms_page, comment, message):
    response = answer(client, ms_page, "no", comment)
    assert response.status_code == 400
    form = select_one(response, "form.page-feedback")
    assert message in text(form)
    # What the visitor typed is still there to correct, with their answer.
    # Browsers drop the newline Django writes after <textarea>.
    assert form.select_one('textarea[name="comment"]').get_text().removeprefix("\n") == comment
    assert form.select_one('input[name="helpful"][value="no"]').has_attr("checked")
    assert not PageFeedback.objects.exists()


def test_a_comment_keeps_its_line_breaks_and_emoji(client, ms_page):
    comment = "Clear.\r\nThank you \U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert answer(client, ms_page, "yes", comment).status_code == 303
    assert PageFeedback.objects.get().comment == comment


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://attacker.example"},
        {"HTTP_ORIGIN": "", "HTTP_REFERER": "https://attacker.example/x"},
    ],
    ids=["other origin", "other referer"],
)
def test_answers_posted_from_other_sites_are_refused(client, ms_page, headers):
    response = answer(client, ms_page, **headers)
    assert response.status_code == 403
    assert not PageFeedback.objects.exists()


def test_answers_about_pages_that_do_not_ask_are_refused(client, ms_page, home):
    draft = ConditionPage.objects.get(slug="scleroderma")
    draft.unpublish()
    for page in (home, draft):
        assert answer(client, page).status_code == 400
    assert not PageFeedback.objects.exists()


def test_one_address_is_limited_others_are_not(client, ms_page, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert answer(client, ms_page, REMOTE_ADDR="198.51.100.7").status_code == 303
    refused = answer(client, ms_page, comment="Third time.", REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Third time." in refused.content.decode() and "try again later" in refused.content.decode()
    assert answer(client, ms_page, REMOTE_ADDR="203.0.113.9").status_code == 303
    assert PageFeedback.objects.count() == 3
    # No address is kept, only a keyed hash of it.
    assert not PageFeedback.objects.filter(sender__contains="198.51").exists()


def test_the_limit_holds_while_redis_is_down(client, ms_page, settings):
    # A Redis nobody answers at: every count falls back to the answers stored in the last hour.
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert answer(client, ms_page, REMOTE_ADDR="198.51.100.7").status_code == 303
    assert answer(client, ms_page, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert PageFeedback.objects.count() == 2


def report_rows(client):
    rows = select(client.get("/admin/reports/feedback/"), "table.listing tbody tr")
    return [[text(cell) for cell in row.select("td")] for row in rows]


@pytest.mark.parametrize("group", ["Clinical editors", "Medical reviewers"])
def test_editors_and_reviewers_read_the_answers_per_page_and_month(ms_page, make_staff, group):
    visitor = Client()
    for helpful, comment in [("yes", ""), ("yes", "Clear, thank you."), ("no", "")]:
        answer(visitor, ms_page, helpful, comment)
    answer(visitor, ConditionPage.objects.get(slug="scleroderma"), "no")

    staff = StaffClient()
    staff.force_login(make_staff("reader", group))
    rows = report_rows(staff)
    month = PageFeedback.objects.first().created_at.strftime("%B %Y")
    assert rows[0][:5] == [month, "Multiple Sclerosis (MS)", "2", "1", "67%"]
    assert "1 comment" in rows[0][5] and "Clear, thank you." in rows[0][5]
    assert rows[1][:5] == [month, "Scleroderma", "0", "1", "0%"]


def test_staff_who_read_the_answers_but_edit_no_page_get_no_links_to_the_editor(client, ms_page, make_staff):
    """Issue #29: a link in a report leads only where its reader may go. A group an administrator
    makes for reading the feedback alone sees the pages named, not links the editor would refuse."""
    answer(Client(), ms_page, "no", "Too long.")
    readers = Group.objects.create(name="Feedback readers")
    readers.permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_pagefeedback"]))
    client.force_login(make_staff("reader", "Feedback readers"))
    [row] = select(client.get("/admin/reports/feedback/"), "table.listing tbody tr")
    assert text(row.select("td")[1]) == "Multiple Sclerosis (MS)" and not row.select("td")[1].select("a")

    editor = StaffClient()
    editor.force_login(make_staff("editor", "Clinical editors"))
    [link] = select(editor.get("/admin/reports/feedback/"), "table.listing tbody tr td:nth-of-type(2) a")
    assert link["href"] == reverse("wagtailadmin_pages:edit", args=[ms_page.pk])


@pytest.mark.parametrize("group", ["Patient enquiries", "Marketing"])
def test_other_staff_cannot_read_the_answers(client, make_staff, group):
    client.force_login(make_staff("other", group))
    response = client.get("/admin/reports/feedback/")
    # Wagtail sends them back to the dashboard, which says they may not go there.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_an_editor_deletes_a_comment_that_should_not_be_kept(ms_page, make_staff):
    answer(Client(), ms_page, "no", "My NHS number is 943 476 5919.")
    answer(Client(), ms_page, "yes", "Clear, thank you.")
    staff = StaffClient()
    staff.force_login(make_staff("reader", "Clinical editors"))
    comments = select(staff.get("/admin/reports/feedback/"), "details li")
    unwanted = next(item for item in comments if "943 476 5919" in text(item))
    delete_url = next(link["href"] for link in unwanted.select("a") if text(link) == "Delete this comment")

    confirmation = staff.get(delete_url)
    assert confirmation.status_code == 200 and "Yes, delete" in confirmation.content.decode()
    assert staff.post(delete_url).url == "/admin/reports/feedback/"
    rows = report_rows(staff)
    assert "943 476 5919" not in rows[0][5] and "Clear, thank you." in rows[0][5]
    deletion = ModelLogEntry.objects.get(action="wagtail.delete")
    assert deletion.user.username == "reader" and deletion.content_type.model == "pagefeedback"


@pytest.mark.parametrize("group", ["Patient enquiries", "Marketing"])
def test_other_staff_cannot_delete_answers(client, ms_page, make_staff, group):
    answer(Client(), ms_page, "no", "Unhelpful.")
    client.force_login(make_staff("other", group))
    client.post(f"/admin/reports/feedback/{PageFeedback.objects.get().pk}/delete/")
    assert PageFeedback.objects.filter(comment="Unhelpful.").exists()
