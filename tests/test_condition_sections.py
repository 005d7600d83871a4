"""Condition pages in sections, in the order patients weigh a treatment, with an "On this page"
list that leads to each; the clinic's text kept word for word; data-built sections by themselves;
the editor told which recommended sections are still to write."""

import pytest

from conditions.models import ConditionPage
from core.models import ClinicSettings
from tests.condition_text import in_section
from tests.html import page_text, select, select_one, soup, text
from tests.medical_reviews import approve

# The client's text for each condition, as on its original page (the MS paragraph as one).
CLIENTS_TEXT = {
    "multiple-sclerosis": [
        "MS is a chronic autoimmune disease where the immune cells attack the myelin sheath including "
        "nerve cells from the brain and spinal cord.",
        "When the nerve cells are demyelinated their function is disrupted leading to severe physical or "
        "cognitive problems.",
        "Mesenchymal stem cells, found in many tissues in the body including adipose and bone marrow, have "
        "the ability to differentiate into different types of cells such as nerve cells and oligodendrocytes.",
        "Studies have shown that demyelination was improved after the transplantation of stem cells, "
        "suggesting that stem cell therapy is a potential treatment for MS patients.",
        "The cells may induce the production of neuroprotective agents which help to preserve the axons in the CNS.",
    ],
    "rheumatoid-arthritis": [
        "Stem cells have the potential to repair cartilage and joint tissue.",
        "Recent studies suggest that some patients may achieve stable remission after stem cell treatment, "
        "due to the ‘resetting’ of the immune system.",
    ],
    "scleroderma": [
        "Stem Cells may help to improve skin elasticity and recovery of some functions severely impaired by "
        "scleroderma.",
        "In addition, a therapeutic benefit at the site of inflammation may be seen due to MSCs releasing "
        "cytokines and growth factors that result in local anti-inflammatory effects.",
    ],
}


def on_this_page(response):
    nav = select_one(response, 'nav[aria-labelledby="on-this-page-heading"]')
    return [(link["href"], text(link)) for link in nav.select("a")]


@pytest.mark.parametrize("slug", CLIENTS_TEXT)
def test_every_link_on_this_page_leads_to_its_section_in_order(client, db, slug):
    response = client.get(ConditionPage.objects.get(slug=slug).url)
    links = on_this_page(response)
    page = soup(response)
    targets = [page.find(id=href[1:]) for href, _ in links]
    assert all(targets), links
    # Each section is headed as the list names it, and they come in the list's order.
    for target, (_, label) in zip(targets, links, strict=True):
        assert text(target.find("h2")) == label
    in_page_order = [element["id"] for element in page.select("[id]")]
    positions = [in_page_order.index(href[1:]) for href, _ in links]
    assert positions == sorted(positions)


def test_a_page_with_nothing_written_yet_shows_the_sections_built_from_data(client, ms_page):
    ms_page.body = []
    ms_page.save_revision().publish()
    labels = [label for _, label in on_this_page(client.get(ms_page.url))]
    assert labels == [
        "Treatment status",
        "Research and reading about Multiple Sclerosis (MS)",
        "Trials you could join",
        "What happens at a consultation",
        "Questions to ask before treatment",
        "About this information",
    ]


def test_written_sections_take_their_place_between_those_built_from_data(client, ms_page):
    ms_page.body = [
        *in_section("<p>Wombat risks.</p>", section="risks"),
        *in_section("<p>Wombat definition.</p>", section="about"),
        *in_section("<p>Wombat standard care.</p>", section="standard_treatments"),
    ]
    ms_page.save_revision().publish()
    response = client.get(ms_page.url)
    assert [label for _, label in on_this_page(response)] == [
        "Treatment status",
        "What is Multiple Sclerosis (MS)?",
        "Standard treatments",
        "Research and reading about Multiple Sclerosis (MS)",
        "Trials you could join",
        "Risks and side effects",
        "What happens at a consultation",
        "Questions to ask before treatment",
        "About this information",
    ]
    assert "Wombat risks." in page_text(response, "#risks")


def test_when_to_get_urgent_help_comes_right_after_the_summary_before_the_long_sections(client, ms_page):
    card = {
        "see_your_doctor": ["Wombat sign"],
        "urgent_help": ["Wombat emergency"],
        "urgent_action": "Call 999 or go to A&E.",
    }
    ms_page.body = [
        *in_section("<p>Wombat definition.</p>", section="about"),
        *in_section("<p>Wombat risks.</p>", section="risks"),
        ("urgent_help", {"heading": "", "content": [("urgent_help", card)]}),
    ]
    ms_page.save_revision().publish()
    response = client.get(ms_page.url)
    assert [label for _, label in on_this_page(response)] == [
        "Treatment status",
        "When to get urgent help",
        "What is Multiple Sclerosis (MS)?",
        "Research and reading about Multiple Sclerosis (MS)",
        "Trials you could join",
        "Risks and side effects",
        "What happens at a consultation",
        "Questions to ask before treatment",
        "About this information",
    ]
    # On the page too: the first section after the summary and the treatment status.
    sections = [section["id"] for section in select(response, "main article > section")]
    assert sections[:2] == ["urgent-help", "about"]
    assert page_text(response, "#urgent-help .care-card__part--urgent") == (
        "Get urgent help if: Wombat emergency Call 999 or go to A&E."
    )


def test_an_editor_may_head_a_section_in_their_own_words(client, ms_page):
    ms_page.body = [
        ("risks", {"heading": "What could go wrong", "content": [("paragraph", "<p>Wombat.</p>")]})
    ]
    ms_page.save_revision().publish()
    assert ("#risks", "What could go wrong") in on_this_page(client.get(ms_page.url))


@pytest.mark.parametrize("slug", CLIENTS_TEXT)
def test_the_clients_text_stays_word_for_word(client, db, slug):
    main = page_text(client.get(ConditionPage.objects.get(slug=slug).url), "main")
    for sentence in CLIENTS_TEXT[slug]:
        assert sentence in main


def test_the_ms_definition_is_under_what_ms_is_and_the_stem_cell_text_under_how_it_may_help(client, ms_page):
    response = client.get(ms_page.url)
    about, stem_cells = page_text(response, "#about"), page_text(response, "#stem-cells")
    assert CLIENTS_TEXT["multiple-sclerosis"][0] in about and "Mesenchymal" not in about
    assert CLIENTS_TEXT["multiple-sclerosis"][2] in stem_cells and "chronic autoimmune" not in stem_cells


def test_at_a_glance_says_who_reviewed_the_version_patients_read(client, ms_page, make_staff):
    glance = page_text(client.get(ms_page.url), ".at-a-glance")
    assert "This version has not been medically reviewed." in glance

    reviewer = make_staff("dr-okafor", "Medical reviewers")
    reviewer.first_name, reviewer.last_name = "Ada", "Okafor"
    reviewer.save()
    review = approve(ms_page, reviewer)
    glance = page_text(client.get(ms_page.url), ".at-a-glance")
    assert (
        "Medically reviewed by Ada Okafor, MB ChB, FRCP, Consultant neurologist "
        f"(General Medical Council number 7654321) on {review.reviewed_on:%-d %B %Y}"
    ) in glance


def test_questions_to_ask_appear_only_when_the_clinic_has_that_page(client, ms_page):
    assert "#questions" in dict(on_this_page(client.get(ms_page.url)))
    details = ClinicSettings.objects.get()
    details.questions_page = None
    details.save()
    assert "#questions" not in dict(on_this_page(client.get(ms_page.url)))


def test_the_urgent_help_card_shows_when_to_see_a_doctor_and_when_to_get_help_at_once(client, ms_page):
    card = {
        "see_your_doctor": ["Wombat sign one", "Wombat sign two"],
        "urgent_help": ["Wombat emergency"],
        "urgent_action": "Call 999 or go to A&E.",
    }
    ms_page.body = [
        ("urgent_help", {"heading": "", "content": [("urgent_help", card)]}),
    ]
    ms_page.save_revision().publish()
    parts = select(client.get(ms_page.url), "#urgent-help .care-card__part")
    assert text(parts[0]) == "See your doctor if: Wombat sign one Wombat sign two"
    assert text(parts[1]) == "Get urgent help if: Wombat emergency Call 999 or go to A&E."


def test_the_editor_lists_the_recommended_sections_still_to_write(client, ms_page, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    edit = client.get(f"/admin/pages/{ms_page.pk}/edit/")
    missing = [
        text(item)
        for item in select(
            edit, 'p:-soup-contains("Patients weighing this treatment look for these sections") + ul li'
        )
    ]
    assert missing == [
        "Standard treatments",
        "What the treatment involves",
        "Risks and side effects",
        "Cost and who may be eligible",
        "What happens at a consultation",
        "When to get urgent help",
    ]


def test_a_sections_preview_in_the_editor_reads_as_a_heading(client, db, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    about = ConditionPage._meta.get_field("body").stream_block.child_blocks["about"]
    preview = client.get("/admin/block-preview/", {"id": about.definition_prefix})
    assert [text(heading) for heading in select(preview, "h2")] == ["What is the condition?"]
    assert "{title}" not in preview.content.decode()
