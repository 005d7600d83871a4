"""What the browser tests measure on a page: axe-core's WCAG rules, reflow, clipping, focus."""

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# One of each kind of page patients can reach, with the content `load_initial_content` gives:
# an address, or the steps that bring the page to the state to check.
CONSULTATION_URL = "/contact/"


def send(page):
    """Send the consultation form and wait for the whole answer: measured before its stylesheet
    has arrived, the page would be laid out unstyled."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send my request").click()


def show_the_consultation_form_with_errors(page):
    page.goto(CONSULTATION_URL)
    send(page)
    page.get_by_role("heading", name="There is a problem with your request").wait_for()


def send_a_consultation_request(page):
    page.goto(CONSULTATION_URL)
    page.get_by_label("Your name").fill("Sam Taylor")
    page.get_by_role("textbox", name="E-mail address").fill("sam.taylor@example.com")
    page.get_by_role("radio", name="E-mail").check()
    page.get_by_role("radio", name="Other / not sure").check()
    page.get_by_label("I agree that the clinic may keep these details to answer my request.").check()
    send(page)
    page.get_by_role("heading", name="Thank you: your request has been sent").wait_for()


def show_a_condition_page_citing_articles(page):
    """The multiple sclerosis page with two articles cited, one twice and one retracted."""
    from articles.models import ArticlePage, NoticeKind
    from conditions.models import ConditionPage
    from tests.condition_text import in_section

    condition = ConditionPage.objects.get(slug="multiple-sclerosis")
    first, second = ArticlePage.objects.live().filter(conditions=condition).order_by("pk")[:2]
    ArticlePage.objects.filter(pk=second.pk).update(evidence_notice=NoticeKind.RETRACTION)
    condition.body = [
        *((block.block_type, block.value) for block in condition.body if block.block_type != "therapy"),
        *in_section(
            f'<p>A trial <a linktype="page" id="{first.pk}">was run</a>, a paper '
            f'<a linktype="page" id="{second.pk}">retracted</a> and the trial '
            f'<a linktype="page" id="{first.pk}">repeated</a>.</p>',
            section="therapy",
        ),
    ]
    condition.save_revision().publish()
    page.goto(condition.url)


def show_a_condition_page_comparing_options(page):
    """The multiple sclerosis page with "Compare your options": four options, each citing articles,
    one of them retracted, and cells long enough to wrap (a test's own words, not the clinic's)."""
    from articles.models import ArticlePage, NoticeKind
    from conditions.models import ConditionPage
    from tests.condition_text import comparing, option

    condition = ConditionPage.objects.get(slug="multiple-sclerosis")
    first, second = ArticlePage.objects.live().filter(conditions=condition).order_by("pk")[:2]
    ArticlePage.objects.filter(pk=second.pk).update(evidence_notice=NoticeKind.RETRACTION)
    long_cell = (
        "A cell long enough to wrap over several lines on a phone, with a registration such as NCT01234567."
    )
    condition.body = [
        *(
            (block.block_type, block.value)
            for block in condition.body
            if block.block_type != "standard_treatments"
        ),
        *comparing(
            option("Option one", evidence=[first, second], involves=long_cell),
            option("Option two", evidence=[first], regulatory_status=long_cell),
            option("Option three", cost=long_cell),
            option("Option four"),
        ),
    ]
    condition.save_revision().publish()
    page.goto(condition.url)


PUBLIC_PAGES = {
    "home": "/",
    "conditions index": "/conditions/",
    "condition": "/conditions/multiple-sclerosis/",
    "condition citing articles": show_a_condition_page_citing_articles,
    "condition comparing options": show_a_condition_page_comparing_options,
    "articles index": "/articles/",
    "articles filtered by condition": "/articles/?condition=scleroderma",
    "article": "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/",
    "search results": "/search/?q=myelin",
    "search without results": "/search/?q=xylophone",
    "consultation form": CONSULTATION_URL,
    "consultation form with errors": show_the_consultation_form_with_errors,
    "consultation request sent": send_a_consultation_request,
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
# A group of radio buttons is one stop for Tab (the arrow keys choose within it): one tag for all.
CONTROLS = """() => {
    const groups = {};
    return [...document.querySelectorAll(
            "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])")]
        .filter(element => !element.disabled && element.getClientRects().length > 0
            && getComputedStyle(element).visibility !== "hidden"
            // Kept out of the tab order on purpose, such as a form's trap for bots.
            && element.getAttribute("tabindex") !== "-1" && !element.closest("[aria-hidden=true]"))
        .flatMap((element, index) => {
            const group = element.type === "radio" ? `${element.form?.id}/${element.name}` : null;
            if (group && group in groups) {
                element.dataset.control = groups[group];
                return [];
            }
            if (group) groups[group] = String(index);
            element.dataset.control = index;
            return [`${index}: ${element.outerHTML.slice(0, 120)}`];
        });
}"""

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
