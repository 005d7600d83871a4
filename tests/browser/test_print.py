"""Printed condition and article pages: patients take them to their own doctor."""

import pytest

pytestmark = pytest.mark.browser

# What a printed page leaves out: it cannot be clicked, and it is not what the reader came for.
SCREEN_ONLY = {
    "skip link": ".skip-link",
    "main navigation": "nav[aria-label='Main']",
    "breadcrumbs": "nav[aria-label='Breadcrumb']",
    "footer contact details": ".site-footer__inner",
    "footer links": "nav[aria-label='About this site']",
}


def shown_in_print(page, url):
    page.goto(url)
    page.emulate_media(media="print")
    return {name: page.locator(selector).first.is_visible() for name, selector in SCREEN_ONLY.items()}


def printed_addresses(page):
    """For each link to another site: its address, and what print adds after the link text."""
    return page.eval_on_selector_all(
        "main a[href^='http']",
        "links => links.map(link => [link.getAttribute('href'), getComputedStyle(link, '::after').content])",
    )


def test_a_printed_condition_page_is_its_content_without_the_sites_navigation(page):
    assert shown_in_print(page, "/conditions/multiple-sclerosis/") == dict.fromkeys(SCREEN_ONLY, False)
    assert page.get_by_role("heading", level=1, name="Multiple Sclerosis (MS)").is_visible()
    assert page.get_by_text("immune cells attack the myelin sheath").is_visible()
    assert page.get_by_text("does not replace advice from your own doctor").is_visible()


def test_on_screen_nothing_is_hidden_or_added(page):
    page.goto("/conditions/multiple-sclerosis/")
    assert page.locator(SCREEN_ONLY["main navigation"]).is_visible()
    assert page.locator(SCREEN_ONLY["breadcrumbs"]).is_visible()
    addresses = printed_addresses(page)
    assert addresses, "the related articles link to other sites"
    assert [after for href, after in addresses if href in after] == []


@pytest.mark.parametrize(
    "url",
    ["/articles/autologous-mesenchymal-stem-cells-for-the-treatment/", "/conditions/multiple-sclerosis/"],
)
def test_printed_citations_carry_the_address_of_every_source(page, url):
    assert shown_in_print(page, url) == dict.fromkeys(SCREEN_ONLY, False)
    addresses = printed_addresses(page)
    assert len(addresses) >= 3, "the study, its DOI, PubMed and trial record, or the reading list"
    assert [href for href, after in addresses if f"({href})" not in after] == []
