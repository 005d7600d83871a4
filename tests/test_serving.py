"""What Wagtail looks up for every page it serves, kept with the site's facts in the cache
(core.serving): uncached pages need few queries, yet a page made private or an ancestor renamed
shows at once."""

import pytest
import redis
from wagtail.models import PageViewRestriction, Site

from clinic.models import HomePage, StandardPage
from conditions.models import ConditionIndexPage, TeamPage
from core import serving
from tests.visitors import queries_for


@pytest.fixture
def uncached(db, settings):
    """Every page rendered afresh, as for a page cache miss, so that what is measured is the page."""
    settings.PAGE_CACHE_ENABLED = False


# Each page type's most queries: its own, and one for the view restrictions per list of pages,
# every list a visitor sees being built from public pages only.
PAGES = {
    "home": ("/", 2),
    "conditions index": ("/conditions/", 3),
    "condition page": ("/conditions/multiple-sclerosis/", 4),
    "articles, filtered": ("/articles/?condition=multiple-sclerosis", 8),
    "article": ("/articles/autologous-mesenchymal-stem-cells-for-the-treatment/", 3),
    "search": ("/search/?q=myelin", 4),
    "standard page": ("/about/", 1),
    "consultation form": ("/contact/", 5),
}


@pytest.mark.parametrize(("url", "most"), PAGES.values(), ids=PAGES.keys())
def test_uncached_pages_take_few_queries(client, uncached, url, most):
    assert queries_for(client, url) <= most


def test_a_page_is_found_and_shown_in_one_query(client, uncached):
    # Routing and the page's own fields are one query: a page showing nothing else takes no other.
    assert queries_for(client, "/about/") == 1


def test_an_address_now_leading_to_another_type_of_page_is_found(db):
    facts = serving.SiteFacts(generation=None)  # it knows /questions-to-ask/ as a standard page
    standard = StandardPage.objects.get(slug="questions-to-ask")
    url_path = standard.url_path
    standard.delete()
    team = TeamPage(title="Questions to ask", slug="questions-to-ask", introduction="Who we are.")
    HomePage.objects.get().add_child(instance=team)
    team.save_revision().publish()
    token = serving.current.set(facts)
    try:
        assert serving.live_page_at(url_path) == team
    finally:
        serving.current.reset(token)


def test_a_page_made_private_is_refused_at_once(client, ms_page, uncached):
    assert client.get(ms_page.url).status_code == 200
    # A page linked from no other page's chrome: nothing but its privacy changes for the rest of the site.
    PageViewRestriction.objects.create(page=ms_page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(ms_page.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_renamed_section_shows_in_its_pages_breadcrumbs_at_once(client, ms_page, uncached):
    index = ConditionIndexPage.objects.get()
    # Out of the main navigation: its title shows only in its pages' breadcrumbs and cards.
    index.show_in_menus = False
    index.save_revision().publish()
    assert "Autoimmune conditions" in client.get(ms_page.url).content.decode()
    index.title = "Conditions we cover"
    index.save_revision().publish()
    html = client.get(ms_page.url).content.decode()
    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index("</nav>", html.index('aria-label="Breadcrumb"'))
    ]
    assert "Conditions we cover" in crumbs and "Autoimmune conditions" not in crumbs


def test_a_page_made_private_leaves_search_results_at_once(client, ms_page, uncached):
    search = "/search/?q=multiple+sclerosis"
    assert ms_page.url in client.get(search).content.decode()
    PageViewRestriction.objects.create(page=ms_page, restriction_type=PageViewRestriction.LOGIN)
    assert ms_page.url not in client.get(search).content.decode()


def test_a_page_rendered_afresh_asks_the_cache_once(client, uncached, throwaway_page_cache):
    # For the site's facts, which bring what else changes only with the site (the header and footer,
    # every site's address): each round trip to Redis costs about what a small template does.
    client.get("/about/")
    redis_stats = redis.Redis.from_url(throwaway_page_cache.url)
    redis_stats.config_resetstat()
    assert client.get("/about/").status_code == 200
    asked = {
        command.removeprefix("cmdstat_"): stats["calls"]
        for command, stats in redis_stats.info("commandstats").items()
        if command != "cmdstat_config|resetstat"
    }
    assert asked == {"mget": 1}


def test_the_sites_facts_are_worked_out_in_three_queries(db, django_assert_num_queries):
    # After each change that forgets them: whether any page is private, the site's pages, and the
    # sites' addresses (which Wagtail itself keeps in the cache, forgotten here).
    Site.clear_site_root_paths_cache()
    with django_assert_num_queries(3):
        serving.SiteFacts(generation=None)
