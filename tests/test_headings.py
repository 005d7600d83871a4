"""Headings a screen reader's user can navigate by: one h1 per page, and no level skipped on the
way down (an h4 straight after an h2 reads as a missing section)."""

import pytest

from tests.html import select

PATIENT_PAGES = [
    "/",
    "/conditions/",
    "/conditions/multiple-sclerosis/",
    "/conditions/rheumatoid-arthritis/",
    "/conditions/scleroderma/",
    "/articles/",
    "/articles/?condition=scleroderma",
    "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/",
    "/search/?q=myelin",
    "/contact/",
    "/about/",
    "/no-such-page/",
]


def heading_levels(response):
    return [int(heading.name[1]) for heading in select(response, "h1, h2, h3, h4, h5, h6")]


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_each_page_has_one_h1_and_skips_no_heading_level(client, db, path):
    levels = heading_levels(client.get(path))
    assert levels.count(1) == 1, levels
    assert levels[0] == 1, levels
    skips = [(before, after) for before, after in zip(levels, levels[1:], strict=False) if after > before + 1]
    assert not skips, levels
