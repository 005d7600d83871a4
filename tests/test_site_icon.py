"""The site's icon: every page's head links icons that load, and /favicon.ico, which browsers ask for
whatever the page links, answers with the same icon, kept for days rather than asked for on every page."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from tests.html import select

MAX_AGE = re.compile(r"(?:^|,)\s*max-age=(\d+)")
DAY = 24 * 60 * 60


def test_favicon_ico_is_an_icon_browsers_keep_for_at_least_a_day(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"].startswith("image/")
    assert int(MAX_AGE.search(response["Cache-Control"])[1]) >= DAY
    assert "public" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


@pytest.mark.parametrize("path", ["/", "/conditions/multiple-sclerosis/", "/no-such-page/"])
def test_the_icons_each_page_links_load_at_their_stated_size(client, db, path):
    page = client.get(path)
    links = select(page, 'head link[rel~="icon"], head link[rel="apple-touch-icon"]')
    assert {(link["rel"][0], link.get("type")) for link in links} == {
        ("icon", "image/svg+xml"),
        ("icon", "image/png"),
        ("apple-touch-icon", None),
    }
    for link in links:
        # The tests run without DEBUG, when the static files are served only once collected.
        found = finders.find(link["href"].removeprefix(settings.STATIC_URL))
        assert found, link["href"]
        if link.get("type") == "image/svg+xml":
            continue
        size = Image.open(found).size
        stated = link.get("sizes", "180x180")  # an apple-touch-icon is 180 × 180 unless it says otherwise
        assert size == tuple(int(side) for side in stated.split("x")), link["href"]
