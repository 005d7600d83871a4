"""Reading the pages the tests are sent as a browser would, with BeautifulSoup, and the text a
visitor reads in them."""

import json

from bs4 import BeautifulSoup


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
    return " ".join(element.get_text().split())


def page_text(response, css="body"):
    return text(select_one(response, css))


def json_ld(response):
    """The page's JSON-LD items, by their @type."""
    blocks = select(response, 'script[type="application/ld+json"]')
    return {item["@type"]: item for item in (json.loads(block.string) for block in blocks)}
