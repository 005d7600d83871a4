"""The "Our team" page: the clinicians behind the clinic, and the review line leading to them."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from conditions.models import MedicalReviewer
from tests.html import page_text, select, select_one, text
from tests.medical_reviews import approve
from tests.team import publish_team


@pytest.fixture
def amara(db):
    return MedicalReviewer.objects.create(
        name="Amara Okafor",
        credentials="MBBS, FRCP",
        role="Consultant Neurologist",
        registration_body="General Medical Council",
        registration_number="7654321",
        photo=Image.objects.create(title="Amara", file=get_test_image_file(filename="amara.png")),
    )


def test_the_team_page_presents_each_clinician_in_the_editors_order(client, amara):
    nurse = MedicalReviewer.objects.create(name="Ben Hale", role="Clinical nurse specialist")
    publish_team(nurse, amara)
    team = client.get("/our-team/")
    entries = select(team, "main .team__member")
    assert [entry["id"] for entry in entries] == [f"clinician-{nurse.pk}", f"clinician-{amara.pk}"]
    ben_entry, amara_entry = entries
    assert text(amara_entry.h2) == "Amara Okafor, MBBS, FRCP"
    assert "Consultant Neurologist" in text(
        amara_entry
    ) and "Registration: General Medical Council number 7654321" in text(amara_entry)
    assert amara_entry.img["src"] == amara.photo.get_rendition("fill-240x240").url
    # Nothing is said of what a clinician's profile leaves out.
    assert text(ben_entry) == "Ben Hale Clinical nurse specialist" and ben_entry.img is None


def test_the_review_line_leads_to_the_reviewers_team_entry_once_they_are_on_the_team(
    client, ms_page, make_staff
):
    review = approve(ms_page, make_staff("amara", "Medical reviewers"))
    reviewer = review.reviewer
    assert review_line_link(client.get(ms_page.url)) == f"/reviewers/{reviewer.pk}/"
    publish_team(reviewer)
    assert review_line_link(client.get(ms_page.url)) == f"/our-team/#clinician-{reviewer.pk}"


def review_line_link(response):
    line = select_one(response, "p.review-byline")
    assert text(line).startswith("Medically reviewed by")
    return line.a["href"]


def test_a_clinicians_new_details_reach_the_team_page(client, amara):
    publish_team(amara)
    assert "General Medical Council number 7654321" in page_text(client.get("/our-team/"), "main")
    amara.registration_number = "1111111"
    amara.save()
    main = page_text(client.get("/our-team/"), "main")
    assert "General Medical Council number 1111111" in main and "7654321" not in main
