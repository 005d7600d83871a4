from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from clinic.models import HomePage, StandardPage
from conditions.models import ConditionIndexPage, ConditionPage


class PageTreeRulesTests(WagtailPageTestCase):
    """The tree can only be built the right way: editors are never offered a page type out of place."""

    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(ConditionIndexPage, HomePage)

    def test_home_page_children(self):
        self.assertCanCreateAt(HomePage, ConditionIndexPage)
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(HomePage, ConditionPage)

    def test_condition_pages_live_only_under_the_conditions_index(self):
        self.assertAllowedParentPageTypes(ConditionPage, {ConditionIndexPage})
        self.assertAllowedSubpageTypes(ConditionIndexPage, {ConditionPage})
        self.assertAllowedSubpageTypes(ConditionPage, set())

    def test_standard_pages_are_leaves_under_home(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage})
        self.assertAllowedSubpageTypes(StandardPage, set())
        self.assertCanNotCreateAt(ConditionIndexPage, StandardPage)

    def test_no_second_home_or_conditions_index_is_offered(self):
        home = HomePage.objects.get()
        assert not HomePage.can_create_at(Page.get_first_root_node())
        assert not ConditionIndexPage.can_create_at(home)
        assert StandardPage.can_create_at(home)
