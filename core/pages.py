"""The base of every page type of the site: what search engines, the HTTP cache in front and site
search ask of a page, declared once with defaults that a page type overrides."""

from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.query import PageQuerySet


class SitePageQuerySet(PageQuerySet):
    def editable_by(self, user):
        """The pages `user` may edit, as Wagtail's page editor decides (the page permission policy,
        which also lets an "add" right edit the pages one owns): the pages the admin may link them to."""
        editable = PagePermissionPolicy(self.model).instances_user_has_permission_for(user, "change")
        return self.filter(pk__in=editable.values("pk"))


class SitePage(Page):
    # The field summarising the page where no search description is written (meta description).
    description_field = None
    # The query parameters the page reads (filters, the page of a list): the cache in front keeps
    # these in its key and drops every other (deploy/varnish/clinic.vcl keeps the ones some page reads).
    cache_query_parameters = ()
    # Found by the site's search (patients look for conditions, articles and information pages,
    # not for the home page or a form).
    listed_in_search = False
    # The clinic's own page, not an outside article: site search lists these first, each labelled
    # "Clinic page", and the others after them (`clinic/search.py`).
    written_by_the_clinic = True
    # Linked from every page's header or footer: a change to it changes every page.
    shown_on_every_page = False
    # What the page is to social networks when shared (Open Graph's og:type).
    open_graph_type = "website"

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        """The search description, else the text of the page's summary field, as search results show it."""
        if self.search_description:
            return self.search_description
        text = strip_tags(str(getattr(self, self.description_field) or "")) if self.description_field else ""
        return Truncator(" ".join(text.split())).chars(200)

    @property
    def social_image(self):
        """The image shown when the page is shared, if it has one."""
        return None

    def structured_data(self, request):
        """schema.org data for what the page shows (JSON-LD), beyond its breadcrumb trail."""
        return None

    def cache_dependents(self):
        """Other pages that show this one (listings, cards), purged from the cache in front when it
        changes. Apps that list pages of other apps add theirs with the `page_cache_dependents` hook."""
        return []
