"""What the browser tests measure on a page: axe-core's WCAG rules, reflow, clipping, focus."""

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# One of each kind of page patients can reach, with the content `load_initial_content` gives:
# an address, or the steps that bring the page to the state to check.
PUBLIC_PAGES = {
    "home": "/",
    "conditions index": "/conditions/",
    "condition": "/conditions/multiple-sclerosis/",
    "standard page": "/about/",
    "page not found": "/no-such-page/",
}


def show(page, public_page):
    """Bring `page` (a browser tab) to one of PUBLIC_PAGES."""
    if callable(public_page):
        public_page(page)
    else:
        page.goto(public_page)


# Elements that hide what overflows them and hold more than they have room for: content cut off.
# Text meant for screen readers only (a 1 px box) and things kept off screen on purpose (the skip
# link until it has focus, a form's trap for bots) are hidden by design, not clipped.
CLIPPED_ELEMENTS = """() => [...document.querySelectorAll("body *")].filter(element => {
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || box.bottom <= 0) return false;
    const clips = value => value === "hidden" || value === "clip";
    return (clips(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
        || (clips(style.overflowY) && element.scrollHeight > element.clientHeight + 1);
}).map(element => element.outerHTML.slice(0, 160))"""

# The font size of every element that holds text of its own, in page order.
TEXT_SIZES = """() => [...document.querySelectorAll("body *")]
    .filter(element => [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim()))
    .map(element => [element.outerHTML.slice(0, 120), parseFloat(getComputedStyle(element).fontSize)])"""

# Every control a visitor could operate, each tagged so that Tab presses can be matched to it.
CONTROLS = """() => [...document.querySelectorAll(
        "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])")]
    .filter(element => !element.disabled && element.getClientRects().length > 0
        && getComputedStyle(element).visibility !== "hidden")
    .map((element, index) => {
        element.dataset.control = index;
        return `${index}: ${element.outerHTML.slice(0, 120)}`;
    })"""

# The focused element: which control it is, and whether a sighted keyboard user can see it.
FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        control: element.dataset.control ?? null,
        html: element.outerHTML.slice(0, 120),
        // In the main content or after it: past the header and its navigation.
        pastHeader: element.closest("main") !== null
            || !!(document.querySelector("main").compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING),
        indicated: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
            || style.boxShadow !== "none",
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
    };
}"""


def axe_violations(page, axe_source):
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as shown, one line each."""
    page.add_script_tag(path=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
    ]


def sideways_scroll(page):
    """How many CSS pixels the page is wider than the window: 0 when nothing scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def clipped_elements(page):
    return page.evaluate(CLIPPED_ELEMENTS)


def text_sizes(page):
    return page.evaluate(TEXT_SIZES)


def tag_controls(page):
    """Tag every operable control on the page; returns a description of each, by tag number."""
    return page.evaluate(CONTROLS)


def focused(page):
    return page.evaluate(FOCUSED)
