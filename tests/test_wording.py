"""The health-claims wording check (problem 5): what it flags, what it leaves alone, and where
editors and reviewers see it."""

import json

import pytest
from django.urls import reverse

from conditions.initial_content import CONTENT_FILE
from conditions.models import ConditionPage
from core import wording
from tests.admin_forms import condition_page_form
from tests.html import json_script, page_text, select, text


def flagged(text):
    return [(flag.kind.key, flag.words) for flag in wording.flag_sentences(text)]


@pytest.mark.parametrize(
    "sentence, kind, word",
    [
        # FTC health-claims guidance and ISSCR warning signs.
        ("Stem cells cure multiple sclerosis.", "cure", "cure"),
        ("This therapy can reverse MS.", "undo", "reverse"),
        ("MSCs repair damaged nerves.", "undo", "repair"),
        ("The infusion will restore mobility.", "undo", "restore"),
        ("Stem cells regenerate cartilage.", "undo", "regenerate"),
        ("Treatment can reset the immune system.", "undo", "reset"),
        ("Our method is clinically proven.", "certainty", "clinically proven"),
        ("Results are guaranteed.", "certainty", "guaranteed"),
        ("A miracle for patients.", "certainty", "miracle"),
        ("The product is FDA-approved.", "approval", "FDA-approved"),
        ("There are no side effects.", "certainty", "no side effects"),
        ("It works in 100% of patients.", "certainty", "100%"),
    ],
)
def test_the_vocabulary_is_flagged(sentence, kind, word):
    assert flagged(sentence) == [(kind, (word,))]


def test_the_clients_own_overclaims_are_flagged():
    """The phrases the issue found in pages.json, which the old check missed."""
    content = CONTENT_FILE.read_text(encoding="utf-8")
    sentences = [
        flag.sentence for flag in wording.flag_html(json.loads(content)["conditions_index"]["introduction"])
    ]
    sentences += [
        flag.sentence
        for condition in json.loads(content)["conditions"]
        for section in condition["body"]
        for block in section["value"]["content"]
        for flag in wording.flag_html(block["value"])
    ]
    text = " ".join(sentences)
    for phrase in (
        "demyelination was improved after the transplantation",
        "leads to a recovery in locomotion function",
        "potential to repair cartilage",
        "‘resetting’ of the immune system",
        "restoration, of normal immune system responses",
    ):
        assert phrase in text, phrase


@pytest.mark.parametrize(
    "honest",
    [
        "No study has shown that MSCs reverse MS.",
        "There is no evidence that stem cells cure scleroderma.",
        "Stem cell treatment is not FDA-approved for these conditions.",
        "We cannot guarantee any result.",
        "Research hasn't shown that it restores function.",
        "Curettage is a different procedure.",  # "cure" inside a word
        "The clinic is secure and procured its equipment in 2020.",
        "Reversible side effects were reported in a minority.",
    ],
)
def test_honest_sentences_are_left_alone(honest):
    assert flagged(honest) == []


def test_a_negation_in_an_earlier_clause_does_not_excuse_a_later_claim():
    assert flagged("It is not a drug, but it will cure you.") == [("cure", ("cure",))]


def test_each_sentence_is_flagged_once_under_its_first_kind_of_claim():
    flags = wording.flag_sentences("This miracle cure is guaranteed. Nothing else here.")
    assert [(f.kind.key, f.words) for f in flags] == [("cure", ("miracle", "cure", "guaranteed"))]


def test_the_preview_marks_each_flagged_sentence_once_for_the_checks_panel(client, make_staff):
    page = ConditionPage.objects.get(slug="multiple-sclerosis")
    client.force_login(make_staff("editor", "Clinical editors"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    form = condition_page_form(
        page,
        paragraphs=[
            "Stem cells cure MS. No study has shown that they reverse it.",
            "Results are guaranteed.",
        ],
    )
    assert client.post(url, form).json()["is_valid"]
    preview = client.get(url)
    marked = [
        (mark.name, mark["data-health-claim"], text(mark)) for mark in select(preview, "[data-health-claim]")
    ]
    assert marked == [
        ("span", "cure", "Stem cells cure MS."),
        ("span", "certainty", "Results are guaranteed."),
    ]
    assert "No study has shown that they reverse it." in page_text(preview)
    # Patients never get the marks.
    client.logout()
    assert select(client.get(page.url), "[data-health-claim]") == []


def test_the_page_editors_checks_panel_runs_a_rule_per_kind_of_claim(client, make_staff):
    page = ConditionPage.objects.get(slug="multiple-sclerosis")
    client.force_login(make_staff("editor", "Clinical editors"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    config = json_script(edit, "checker-axe-configuration")
    rules = {rule["id"]: rule for rule in config["spec"]["rules"]}
    for kind in wording.CLAIM_KINDS:
        rule = rules[f"health-claim-{kind.key}"]
        assert rule["selector"] == f'[data-health-claim="{kind.key}"]' and rule["none"] == [
            "health-claim-made"
        ]
        assert rule["id"] in config["options"]["runOnly"]
        assert config["messages"][rule["id"]]["error_name"] == kind.name
    check = next(check for check in config["spec"]["checks"] if check["id"] == "health-claim-made")
    assert check["options"] == {"attribute": "data-health-claim"}
