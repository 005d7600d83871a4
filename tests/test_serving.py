"""What Wagtail looks up for every page it serves, kept with the site's facts in the cache
(core.serving): uncached pages need few queries, yet a page made private or an ancestor renamed
shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from conditions.models import ConditionIndexPage


@pytest.fixture
def uncached(db, settings):
    """Every page rendered afresh, as for a page cache miss, so that what is measured is the page."""
    settings.PAGE_CACHE_ENABLED = False
    return {}


PAGES = {
    "home": "/",
    "conditions index": "/conditions/",
    "condition page": "/conditions/multiple-sclerosis/",
    "article": "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/",
    "search": "/search/?q=myelin",
    "standard page": "/about/",
}


def queries_for(client, url, uncached):
    client.get(url, **uncached)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **uncached)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_uncached_pages_take_four_queries_or_fewer(client, uncached, url):
    assert queries_for(client, url, uncached) <= 4


def test_a_page_made_private_is_refused_at_once(client, ms_page, uncached):
    assert client.get(ms_page.url, **uncached).status_code == 200
    # A page linked from no other page's chrome: nothing but its privacy changes for the rest of the site.
    PageViewRestriction.objects.create(page=ms_page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(ms_page.url, **uncached)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_renamed_section_shows_in_its_pages_breadcrumbs_at_once(client, ms_page, uncached):
    index = ConditionIndexPage.objects.get()
    # Out of the main navigation: its title shows only in its pages' breadcrumbs and cards.
    index.show_in_menus = False
    index.save_revision().publish()
    assert "Autoimmune conditions" in client.get(ms_page.url, **uncached).content.decode()
    index.title = "Conditions we cover"
    index.save_revision().publish()
    html = client.get(ms_page.url, **uncached).content.decode()
    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index("</nav>", html.index('aria-label="Breadcrumb"'))
    ]
    assert "Conditions we cover" in crumbs and "Autoimmune conditions" not in crumbs
