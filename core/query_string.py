"""What a page reads from its query string, taken only in the one way of writing each value that
names something: anything else is not found. Every query string a page answers with 200 becomes
an entry in whatever cache is in front (Varnish, a CDN), so only values that exist may."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def single_values(request, names):
    """The value of each of these query parameters the request gives, at most one each: a repeated
    parameter (`?page=2&page=2`) would be another address for the same page."""
    values = {}
    for name in names:
        given = request.GET.getlist(name)
        if len(given) > 1:
            raise Http404(f"More than one {name} asked for")
        if given:
            values[name] = given[0]
    return values


def page_or_404(items, per_page, number):
    """Page `number` of `items` (the first when none is asked for). A number that names no page
    (past the last, malformed) or is written otherwise than plainly (`01`, ` 2`) is not found."""
    try:
        page = Paginator(items, per_page).page(number or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    if number is not None and number != str(page.number):
        raise Http404("Page numbers are written as plain digits")
    return page
