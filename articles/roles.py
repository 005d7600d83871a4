"""The Marketing group looks after the related articles, and nothing else.

Its admin access comes from a migration; its page permissions can only be given once the
articles index exists, so they are granted where the index is created (initial content, admin).
"""

from django.apps import apps

from core.roles import grant

MARKETING = "Marketing"
MARKETING_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def let_marketing_manage_articles(index_page):
    """Marketing may add, edit and publish (so also unpublish) the pages under `index_page`. Idempotent."""
    return grant(
        apps,
        MARKETING,
        page_permissions=MARKETING_PAGE_PERMISSIONS,
        page_url_path=index_page.url_path,
    )
