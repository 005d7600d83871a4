"""The site's initial content, brought by each app: `manage.py load_initial_content` runs every
loader registered with the `load_initial_content` hook, in the order of its `order` (the home page
first, then the pages that hang below it and link to each other: conditions before articles before
the consultation page).

Every loader creates only what is missing, so running them again, or after staff have edited the
pages, changes nothing.
"""

from wagtail import hooks
from wagtail.models import Site

from core.pages import SitePage


def load_all(log=print):
    for load in hooks.get_hooks("load_initial_content"):
        load(log=log)


def site_home():
    """The default site's home page, once there is one (None before the home page is loaded)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    # Before it, the root is Wagtail's placeholder welcome page, a plain Page.
    home = site.root_page.specific if site is not None else None
    return home if isinstance(home, SitePage) else None


def get_or_create_child(parent, page_class, slug, **fields):
    """The live-or-draft child of `parent` at `slug`, created and published if there is none."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True
