""" "Compare your options" (#30) reads as a table on a wide screen and as a list on a phone, one card
per option, with nothing to scroll sideways: the same HTML table, restyled by CSS alone."""

import pytest

from tests.browser.checks import axe_violations, show_a_condition_page_comparing_options

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}

# Each option's row as laid out: how it is displayed, where it is, and each cell's heading as shown.
ROWS = """() => [...document.querySelectorAll(".compare-options tbody tr")].map(row => {
    const box = row.getBoundingClientRect();
    return {
        display: getComputedStyle(row).display,
        top: box.top,
        bottom: box.bottom,
        left: box.left,
        width: box.width,
        labels: [...row.querySelectorAll("td")].map(cell => getComputedStyle(cell, "::before").content),
        cellsStacked: [...row.children].every((cell, index, cells) =>
            index === 0 || cell.getBoundingClientRect().top >= cells[index - 1].getBoundingClientRect().bottom - 1),
    };
})"""
SCROLLS_SIDEWAYS = "document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"
COLUMN_HEADERS_SHOWN = "document.querySelector('.compare-options thead').getBoundingClientRect().width > 1"
LABELS = ["What it involves", "The evidence", "Main risks", "Cost", "Regulatory status"]


def test_the_options_table_on_a_phone(new_context, axe_source):
    # axe-core's script goes in whatever the site's Content-Security-Policy says.
    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    show_a_condition_page_comparing_options(page)
    table = page.get_by_role("table", name="Compare your options")
    table.wait_for()
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    rows = page.evaluate(ROWS)
    assert len(rows) == 4
    # A list: one card below the other, each as wide as the next, its cells one under another and
    # each headed by its column's name, the row of column headers kept for screen readers only.
    assert all(row["display"] == "block" and row["cellsStacked"] for row in rows)
    assert all(below["top"] >= above["bottom"] for above, below in zip(rows, rows[1:], strict=False))
    assert len({(row["left"], row["width"]) for row in rows}) == 1
    assert all(row["labels"] == [f'"{label}"' for label in LABELS] for row in rows)
    assert not page.evaluate(COLUMN_HEADERS_SHOWN)
    assert table.locator("th[scope=row]").all_inner_texts() == [
        "Option one",
        "Option two",
        "Option three",
        "Option four",
    ]
    assert axe_violations(page, axe_source) == []


def test_the_options_table_on_a_wide_screen(new_context, axe_source):
    page = new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    show_a_condition_page_comparing_options(page)
    page.get_by_role("table", name="Compare your options").wait_for()
    rows = page.evaluate(ROWS)
    assert all(row["display"] == "table-row" and not row["cellsStacked"] for row in rows)
    assert all(row["labels"] == ["none"] * len(LABELS) for row in rows)
    assert page.evaluate(COLUMN_HEADERS_SHOWN)
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    assert axe_violations(page, axe_source) == []
