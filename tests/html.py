"""Reading the pages the tests are sent as a browser would, with BeautifulSoup, and the text a
visitor reads in them."""

import json

from bs4 import BeautifulSoup, Tag

# Elements a browser sets apart from what is around them, so that their words never run into their
# neighbours' (the items of a list, the cells of a table), while a link or emphasis inside a sentence
# does not break it.
# fmt: off
SET_APART = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "legend", "li", "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul",
}
# fmt: on


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def select(response, css):
    """The elements of the page that the CSS selector names, in the order they come."""
    return soup(response).select(css)


def select_one(response, css):
    element = soup(response).select_one(css)
    assert element is not None, f"nothing on the page is {css}"
    return element


def text(element):
    """An element's words as a visitor reads them: markup gone, runs of spaces as one."""
    return " ".join(words(element, element.interesting_string_types).split())


def words(element, shown):
    """The strings get_text() reads (not comments or scripts), with a space around each element set apart."""
    pieces = []
    for child in element.children:
        if isinstance(child, Tag):
            inner = words(child, shown)
            pieces.append(f" {inner} " if child.name in SET_APART else inner)
        elif type(child) in shown:
            pieces.append(child)
    return "".join(pieces)


def page_text(response, css="body"):
    return text(select_one(response, css))


def json_ld(response):
    """The page's JSON-LD items, by their @type."""
    blocks = select(response, 'script[type="application/ld+json"]')
    return {item["@type"]: item for item in (json.loads(block.string) for block in blocks)}


def json_script(response, element_id):
    """The data a page hands its scripts in a json_script element, by that element's id."""
    return json.loads(select_one(response, f"script#{element_id}").string)
