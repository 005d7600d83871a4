"""The home page finds the page at an address in two queries (HomePage.route) rather than walking
down the tree as Wagtail does by default. Both must give the same answer for every address: if a
Wagtail release changes how pages are found (url_path, or how a page routes itself), this fails."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from conditions.models import ConditionPage

pytestmark = pytest.mark.django_db


def answer(route, home, address):
    """What routing `address` gives: the page and, for a routable page, the view it chose."""
    request = RequestFactory().get(address)
    try:
        page, args, _kwargs = route(home, request, [part for part in address.split("/") if part])
    except Http404:
        return "404"
    view = args[0].__name__ if args else None
    return (type(page).__name__, page.pk, view)


def addresses(home):
    pages = [page.url_path.removeprefix(home.url_path) for page in Page.objects.descendant_of(home)]
    sub_routes = ["articles/feed/", "contact/sent/"]
    unknown = ["no-such-page/", "conditions/no-such-condition/", "conditions/multiple-sclerosis/more/"]
    return [f"/{address}" for address in pages + sub_routes + unknown]


def test_every_address_finds_what_wagtails_walk_down_the_tree_finds(home):
    # A page that is not live is in the tree, but found by neither.
    ConditionPage.objects.filter(slug="scleroderma").update(live=False)
    found = {}
    for address in addresses(home):
        found[address] = answer(type(home).route, home, address)
        assert found[address] == answer(Page.route, home, address), address
    assert found["/conditions/scleroderma/"] == "404"
    assert found["/articles/feed/"][2] == "feed"
    assert found["/conditions/multiple-sclerosis/"][0] == "ConditionPage"


def test_a_condition_page_is_found_in_two_queries_rather_than_a_pair_a_level(home, django_assert_num_queries):
    request = RequestFactory().get("/conditions/multiple-sclerosis/")
    with django_assert_num_queries(2):
        page = home.route(request, ["conditions", "multiple-sclerosis"]).page
    assert page.slug == "multiple-sclerosis"
