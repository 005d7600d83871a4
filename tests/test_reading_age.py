"""Plain words, measured: the condition page editor shows the page's reading age (the target is 9
to 11) and its longest sentences, as a warning that never stops a change."""

from django.urls import reverse

from conditions.models import ConditionIndexPage
from tests.admin_forms import condition_page_form
from tests.html import select_one, text

PLAIN = [
    "MS is a long-term condition.",
    "It affects the brain and the spinal cord.",
    "The body's defences attack the coat around your nerves.",
    "This can make it hard to walk or see.",
]
WORDY = (
    "Mesenchymal stromal cells, which investigators have isolated from numerous anatomical "
    "compartments including adipose tissue, bone marrow and umbilical cord, demonstrate "
    "immunomodulatory characteristics that could theoretically influence the pathophysiological "
    "processes underlying demyelination, although considerable heterogeneity in manufacturing "
    "methodologies, dosing regimens and outcome measurements complicates the interpretation of "
    "the accumulated observational evidence concerning their administration in progressive disease."
)


def reading_age_panel(client, page):
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return select_one(edit, "#panel-child-content-reading_age-content")


def shown_age(panel):
    return int(text(panel.strong).removeprefix("Reading age "))


def longest_sentences(panel):
    """The sentences the panel points out, each with its number of words."""
    return [text(item).split(" words: ", 1) for item in panel.select("ol li")]


def save_draft(client, page, paragraphs):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), condition_page_form(page, paragraphs=paragraphs)
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_clients_text_is_shown_above_the_target_with_its_longest_sentences(admin_client, ms_page):
    panel = reading_age_panel(admin_client, ms_page)
    assert panel.select_one(".help-warning") and shown_age(panel) > 11
    assert "patient information aims at 9 to 11" in text(panel)
    longest = longest_sentences(panel)
    assert longest[0] == [
        "31",
        "“Mesenchymal stem cells, found in many tissues in the body including adipose and bone marrow, "
        "have the ability to differentiate into different types of cells such as nerve cells and "
        "oligodendrocytes.”",
    ]
    assert len(longest) == 3 and [int(words) for words, _ in longest] == sorted(
        (int(words) for words, _ in longest), reverse=True
    )


def test_plain_short_sentences_meet_the_target(admin_client, ms_page):
    save_draft(admin_client, ms_page, PLAIN)
    panel = reading_age_panel(admin_client, ms_page)
    assert panel.select_one(".help-warning") is None and shown_age(panel) <= 11


def test_a_hard_page_is_saved_all_the_same_with_its_hardest_sentence_pointed_out(admin_client, ms_page):
    save_draft(admin_client, ms_page, [*PLAIN, WORDY])
    panel = reading_age_panel(admin_client, ms_page)
    assert panel.select_one(".help-warning")
    assert [str(len(WORDY.split())), f"“{WORDY}”"] in longest_sentences(panel)


def test_a_new_page_asks_for_a_draft_before_measuring(admin_client, db):
    index = ConditionIndexPage.objects.get()
    add = admin_client.get(reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", index.pk]))
    assert text(select_one(add, "#panel-child-content-reading_age-content")) == (
        "Save a draft to see how easy this page is to read."
    )
