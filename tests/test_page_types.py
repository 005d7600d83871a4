"""The page tree can only be built the right way: the admin's "Add child page" offers an editor only
the page type that belongs in each place, and refuses any other."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from articles.models import ArticlePage
from clinic.models import StandardPage
from conditions.models import ConditionIndexPage, ConditionPage
from enquiries.models import ConsultationPage
from tests.html import select


def add_child_page(client, parent):
    return client.get(reverse("wagtailadmin_pages:add_subpage", args=[parent.pk]))


def add_form(app_label, model_name, parent):
    return reverse("wagtailadmin_pages:add", args=[app_label, model_name, parent.pk])


def turned_away(response):
    """Wagtail sends the editor back to the dashboard, which says they may not go there."""
    return (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_under_the_home_page_only_the_types_not_there_yet_are_offered(admin_client, home):
    # The indexes and the consultation page are there already, and there is one of each.
    offered = {link["href"] for link in select(add_child_page(admin_client, home), "ul.listing a.w-flex")}
    assert offered == {add_form("clinic", "standardpage", home), add_form("conditions", "teampage", home)}


def test_each_index_offers_exactly_its_own_kind_of_page(admin_client, article_index):
    # The only type a place takes goes straight to its form.
    conditions = ConditionIndexPage.objects.get()
    for parent, app_label, model_name in [
        (conditions, "conditions", "conditionpage"),
        (article_index, "articles", "articlepage"),
    ]:
        response = add_child_page(admin_client, parent)
        assert (response.status_code, response["Location"]) == (302, add_form(app_label, model_name, parent))


@pytest.mark.parametrize("page_type", [ConditionPage, ArticlePage, StandardPage, ConsultationPage])
def test_pages_at_the_ends_of_the_tree_take_no_children(admin_client, page_type):
    assert turned_away(add_child_page(admin_client, page_type.objects.first()))


def test_a_condition_page_cannot_be_made_under_the_home_page(admin_client, home):
    assert turned_away(admin_client.get(add_form("conditions", "conditionpage", home)))


def test_there_is_no_second_home_page_or_conditions_index(admin_client, home):
    assert turned_away(admin_client.get(add_form("clinic", "homepage", Page.get_first_root_node())))
    assert turned_away(admin_client.get(add_form("conditions", "conditionindexpage", home)))
