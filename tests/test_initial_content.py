import json
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision

from clinic.initial_content import CONTENT_FILE as SITE_PAGES
from conditions.initial_content import CONTENT_FILE as CONDITION_PAGES
from conditions.models import ConditionPage
from tests.html import page_text, select, text


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/", "Autoimmune conditions and stem cell therapy"),
        ("/conditions/", "Autoimmune conditions occur when a person’s immune system"),
        ("/conditions/", "stem cells have been known to stimulate the change"),
        ("/conditions/multiple-sclerosis/", "immune cells attack the myelin sheath"),
        ("/conditions/multiple-sclerosis/", "The cells may induce the production of neuroprotective agents"),
        (
            "/conditions/rheumatoid-arthritis/",
            "Stem cells have the potential to repair cartilage and joint tissue.",
        ),
        ("/conditions/scleroderma/", "improve skin elasticity and recovery of some functions"),
        ("/about/", "About this information"),
        ("/privacy/", "How long we keep it"),
    ],
)
def test_initial_pages_show_the_clients_text(client, db, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in page_text(response)


def test_conditions_index_lists_each_condition_in_tree_order(client, db):
    cards = select(client.get("/conditions/"), "main .card__title a")
    assert [(text(link), link["href"]) for link in cards] == [
        ("Multiple Sclerosis (MS)", "/conditions/multiple-sclerosis/"),
        ("Rheumatoid Arthritis (RA)", "/conditions/rheumatoid-arthritis/"),
        ("Scleroderma", "/conditions/scleroderma/"),
    ]


def test_scleroderma_gets_the_heading_the_source_lost(client, db):
    assert page_text(client.get("/conditions/scleroderma/"), "h1") == "Scleroderma"


def test_home_page_leads_to_every_condition(client, db):
    home = client.get("/")
    for slug in ("multiple-sclerosis", "rheumatoid-arthritis", "scleroderma"):
        assert select(home, f'a[href="/conditions/{slug}/"]'), slug


def test_every_page_of_the_content_file_is_live_with_a_revision(db):
    site = json.loads(SITE_PAGES.read_text(encoding="utf-8"))
    conditions = json.loads(CONDITION_PAGES.read_text(encoding="utf-8"))
    slugs = [conditions["conditions_index"]["slug"]]
    slugs += [page["slug"] for page in conditions["conditions"] + site["standard_pages"]]
    pages = Page.objects.filter(slug__in=slugs, depth__gt=2)
    assert sorted(pages.values_list("slug", flat=True)) == sorted(slugs)
    for page in pages:
        assert page.live and page.latest_revision_id, page.title


def test_a_second_run_changes_nothing(db):
    counts = (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())
    call_command("load_initial_content", stdout=StringIO())
    assert (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()) == counts


def test_staff_edits_survive_another_run(db):
    page = ConditionPage.objects.get(slug="multiple-sclerosis")
    page.title = "Multiple sclerosis"
    page.summary = "Edited by staff."
    page.save_revision().publish()
    other = ConditionPage.objects.get(slug="scleroderma")
    other.delete()

    call_command("load_initial_content", stdout=StringIO())

    page.refresh_from_db()
    assert (page.title, page.summary) == ("Multiple sclerosis", "Edited by staff.")
    # Only what was missing comes back.
    assert ConditionPage.objects.filter(slug="scleroderma").count() == 1
