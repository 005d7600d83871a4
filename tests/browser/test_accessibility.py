"""WCAG 2.2 AA in a real browser: axe-core's rules at phone and desktop widths, reflow and zoom.

One test per kind of page, listing every problem found on it, so that a failure says all that is
wrong at once (and the live database is reset once per page rather than once per check).
"""

import re
from io import StringIO

import pytest
from playwright.sync_api import expect

from tests.browser.checks import (
    CONSULTATION_URL,
    PUBLIC_PAGES,
    axe_violations,
    clipped_elements,
    send_a_consultation_request,
    show,
    sideways_scroll,
    text_sizes,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH, DESKTOP_WIDTH = 375, 1280


def text_not_grown_at_200_percent(page):
    """Text that stays the same size when the reader enlarges only the text (browser text size)."""
    before = text_sizes(page)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    after = text_sizes(page)
    return [html for (html, size), (_, enlarged) in zip(before, after, strict=True) if enlarged < 1.9 * size]


@pytest.mark.parametrize("public_page", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_meets_wcag_2_2_aa_and_logs_no_errors(
    new_context, console_errors, axe_source, public_page
):
    problems = {}
    # The page is shown once and the window resized for each check, as a reader turning a phone or
    # zooming does: the layout follows the window's width in CSS pixels. axe-core's script goes in
    # whatever the site's Content-Security-Policy says.
    page = new_context(viewport={"width": PHONE_WIDTH, "height": 800}, bypass_csp=True).new_page()
    show(page, public_page)
    for width in (PHONE_WIDTH, DESKTOP_WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        problems[f"axe-core at {width} px"] = axe_violations(page, axe_source)

    page.set_viewport_size({"width": 320, "height": 640})
    problems["pixels of sideways scrolling at 320 px"] = sideways_scroll(page)
    problems["content clipped at 320 px"] = clipped_elements(page)

    # A 1280 × 800 window zoomed to 200% lays the page out 640 CSS pixels wide.
    page.set_viewport_size({"width": 640, "height": 400})
    problems["pixels of sideways scrolling at 200% zoom"] = sideways_scroll(page)
    problems["content clipped at 200% zoom"] = clipped_elements(page)

    page.set_viewport_size({"width": DESKTOP_WIDTH, "height": 800})
    problems["text not enlarged with the browser's text size at 200%"] = text_not_grown_at_200_percent(page)
    problems["pixels of sideways scrolling with text at 200%"] = sideways_scroll(page)
    problems["content clipped with text at 200%"] = clipped_elements(page)

    problems["browser console errors"] = console_errors
    # Without an icon of its own, every browser asks for /favicon.ico and logs the 404.
    icon = page.evaluate("document.querySelector(\"link[rel~='icon']\")?.href ?? null")
    problems["no site icon that loads"] = not (icon and page.request.get(icon).ok)
    assert {check: found for check, found in problems.items() if found} == {}


@pytest.fixture
def clinic_to_trust(site_url):
    """Clinic details filled in (a logo, how to reach the clinic, its registration, how it is paid) and
    an "Our team" page: what the initial content leaves for the clinic to add."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from clinic.models import HomePage
    from conditions.models import MedicalReviewer, TeamMember, TeamPage
    from core.models import ClinicSettings

    details = ClinicSettings.objects.get()
    details.logo = Image.objects.create(title="Logo", file=get_test_image_file(filename="logo.png"))
    details.phone, details.email = "020 7946 0000", "hello@clinic.example"
    details.address, details.opening_hours = "1 Harley Street\nLondon", "Mon–Fri 9:00–17:00"
    details.registration = "Registered with the Care Quality Commission, provider ID 1-000000000"
    details.how_the_clinic_is_paid = "Patients pay the clinic for each consultation and treatment."
    details.save()
    clinician = MedicalReviewer.objects.create(
        name="Amara Okafor",
        credentials="MBBS, FRCP",
        role="Consultant Neurologist",
        registration_body="General Medical Council",
        registration_number="7654321",
        photo=Image.objects.create(title="Amara", file=get_test_image_file(filename="amara.png")),
    )
    team = TeamPage(title="Our team", slug="our-team")
    HomePage.objects.get().add_child(instance=team)
    team.members = [TeamMember(clinician=clinician, sort_order=0)]
    team.save_revision().publish()


@pytest.mark.parametrize(
    "public_page",
    ["/", "/our-team/", CONSULTATION_URL, send_a_consultation_request],
    ids=["home", "our team", "consultation form", "consultation request sent"],
)
def test_the_clinics_details_and_team_meet_wcag_2_2_aa(new_context, axe_source, clinic_to_trust, public_page):
    problems = {}
    page = new_context(viewport={"width": PHONE_WIDTH, "height": 800}, bypass_csp=True).new_page()
    show(page, public_page)
    for width in (PHONE_WIDTH, DESKTOP_WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        problems[f"axe-core at {width} px"] = axe_violations(page, axe_source)
        problems[f"pixels of sideways scrolling at {width} px"] = sideways_scroll(page)
    assert {check: found for check, found in problems.items() if found} == {}


def test_a_condition_page_listing_recruiting_trials_meets_wcag_2_2_aa(
    new_context, console_errors, axe_source, registries
):
    """#30: the trials ClinicalTrials.gov lists as recruiting, found by the daily check, on the page."""
    from django.core.management import call_command

    from tests.evidence_registries import recruiting_study

    registries.recruiting["Multiple Sclerosis"] = [
        recruiting_study(
            "NCT05000001",
            "Autologous Haematopoietic Stem Cell Transplantation Versus Best Available Therapy in "
            "Relapsing-Remitting Multiple Sclerosis With Inflammatory Activity Despite Treatment",
            phases=("PHASE3",),
            sponsor="Karolinska Institutet",
            countries=("Sweden", "Norway", "Denmark", "Finland", "Netherlands", "United Kingdom"),
        ),
        recruiting_study("NCT05000002", "Mesenchymal Stromal Cells in Progressive MS", phases=()),
    ]
    call_command("refresh_evidence", stdout=StringIO())
    problems = {}
    for width in (PHONE_WIDTH, DESKTOP_WIDTH):
        page = new_context(viewport={"width": width, "height": 800}, bypass_csp=True).new_page()
        page.goto("/conditions/multiple-sclerosis/")
        trials = page.get_by_role("region", name="Trials you could join")
        expect(trials.get_by_role("listitem")).to_have_count(2)
        expect(trials.get_by_role("link", name=re.compile("^Mesenchymal Stromal Cells"))).to_have_attribute(
            "href", "https://clinicaltrials.gov/study/NCT05000002"
        )
        expect(trials).to_contain_text("A registered trial is not an approved treatment.")
        expect(trials).to_contain_text("Trials recruiting as of")
        page.get_by_role("navigation", name="On this page").get_by_role(
            "link", name="Trials you could join"
        ).click()
        expect(trials).to_be_in_viewport()
        problems[f"axe-core at {width} px"] = axe_violations(page, axe_source)
        problems[f"pixels of sideways scrolling at {width} px"] = sideways_scroll(page)
        problems[f"content clipped at {width} px"] = clipped_elements(page)
    problems["browser console errors"] = console_errors
    assert {check: found for check, found in problems.items() if found} == {}
