"""Pages of a long list (articles), counted by the page's own query rather than a second one."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

# The largest OFFSET PostgreSQL and SQLite take (a signed 64-bit integer).
LARGEST_OFFSET = 2**63 - 1


def get_page(items, per_page, number):
    """Page `number` of the queryset `items`, as Django's `Paginator.get_page` gives it, with the
    list's length read off the page's own rows (`COUNT(*) OVER ()`): one query where the Paginator
    makes two. A number that cannot name a page (malformed, below one, past the end) and an empty
    list take the Paginator's own way, which picks the page to show."""
    paginator = Paginator(items, per_page)
    number = number or 1  # no page asked for: the first
    try:
        start = (int(number) - 1) * per_page
    except (TypeError, ValueError):
        return paginator.get_page(number)
    if not 0 <= start <= LARGEST_OFFSET:
        return paginator.get_page(number)
    rows = list(items.annotate(length_of_list=Window(Count("pk")))[start : start + per_page])
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].length_of_list  # Paginator.count is a cached property: no query now
    return Page(rows, int(number), paginator)
