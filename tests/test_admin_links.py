"""docs/roles.md's "What each role sees in the admin", opened link by link: each role (and an
administrator) signs in, its dashboard and menu hold what the tables there say, and every link they
show (and every link in the clinic's own reports) opens a page it can use."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticlePage, EvidenceChange, LinkStatus
from conditions.models import ConditionPage
from feedback.models import PageFeedback
from tests.admin_pages import dashboard_panels, menu_entries, menu_links, page_links, refusal
from tests.enquiry_forms import stored_request
from tests.medical_reviews import submit

ROLES = ["Administrators", "Clinical editors", "Medical reviewers", "Marketing", "Patient enquiries"]

# The clinic's own reports: the links in them are followed too.
REPORTS = [
    "review_due",
    "article_evidence_changes",
    "article_broken_links",
    "feedback_report",
    "enquiries_report",
    "visits_page_views",
    "visits_outside_links",
    "visits_request_sources",
]


def docs_table(first_heading):
    """The docs/roles.md table whose first column is `first_heading`: each row's entry with the roles marked yes."""
    lines = (Path(__file__).resolve().parent.parent / "docs" / "roles.md").read_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"| {first_heading} |")))
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        entry, *cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[entry] = {role for role, cell in zip(ROLES, cells, strict=True) if cell == "yes"}
    return table


def documented(first_heading, role):
    return {entry for entry, roles in docs_table(first_heading).items() if role in roles}


@pytest.fixture
def busy_site(make_staff, django_user_model):
    """The site on a working day, every panel with something to show. Returns the staff, by role
    (an administrator is a superuser)."""
    staff = {role: make_staff(role.lower().replace(" ", "-"), role) for role in ROLES[1:]}
    staff["Administrators"] = django_user_model.objects.create_superuser(
        "administrator", "administrator@example.com", "a-long-test-password"
    )
    article = ArticlePage.objects.filter(conditions__isnull=False).first()
    EvidenceChange.objects.create(article=article, description="Retracted by the journal")
    article.link_status = LinkStatus.BROKEN
    article.save()
    stored_request(timezone.now(), your_name="Grace Hopper")
    PageFeedback.objects.create(page=ConditionPage.objects.first(), helpful=False, comment="Too long")
    # A page an editor sent for review; one a reviewer and one an administrator changed and sent,
    # which another medical reviewer must approve.
    for page, role in zip(
        ConditionPage.objects.order_by("path")[:3],
        ["Clinical editors", "Medical reviewers", "Administrators"],
        strict=True,
    ):
        submit(page, staff[role])
    return staff


def test_the_tables_name_every_role():
    for heading in ("dashboard panel", "menu item"):
        assert docs_table(heading) and all(docs_table(heading).values()), heading


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_what_the_docs_say_and_every_link_opens(client, busy_site, role):
    """Issue #29: the front desk's "Medical review due" panel and report, and the condition pages
    linked to Marketing, ended in "Sorry, you do not have permission"."""
    client.raise_request_exception = False  # an error page is a finding like any other
    client.force_login(busy_site[role])
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200

    links = menu_links(dashboard) | page_links(dashboard)
    for report in map(reverse, REPORTS):
        if report in links:
            links |= {url for url in page_links(client.get(report)) if not url.startswith(report)}
    refused = {url: why for url in sorted(links) if (why := refusal(client, url))}
    assert not refused, f"{role} is shown links it cannot use: {refused}"

    assert dashboard_panels(dashboard) == documented("dashboard panel", role)
    assert menu_entries(dashboard) == documented("menu item", role)
