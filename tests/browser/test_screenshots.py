"""Screenshots of the patient pages and of the page editor, at phone and desktop widths.

`make screenshots` writes them to docs/screenshots/ for the README; an ordinary test run writes
them to a temporary folder, which keeps the tooling working.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from conditions.models import ConditionPage
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PATIENT_PAGES = {
    "home": "/",
    "conditions": "/conditions/",
    "condition": "/conditions/multiple-sclerosis/",
    "articles": "/articles/",
    "article": "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/",
    "search": "/search/?q=myelin",
    "consultation": "/contact/",
}


@pytest.fixture
def screenshots_dir(tmp_path):
    return Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)


def save_screenshot(page, path):
    """The visible window as a PNG with a 256-colour palette: a quarter of the size, text still crisp."""
    page.screenshot(path=path, animations="disabled", caret="hide")
    Image.open(path).quantize(colors=256).save(path, optimize=True)
    return path


@pytest.mark.parametrize("device, viewport, pixel_ratio", [("phone", PHONE, 2), ("desktop", DESKTOP, 1)])
def test_screenshots_of_the_patient_pages(new_context, screenshots_dir, device, viewport, pixel_ratio):
    page = new_context(viewport=viewport, device_scale_factor=pixel_ratio).new_page()
    for name, url in PATIENT_PAGES.items():
        page.goto(url)
        path = save_screenshot(page, screenshots_dir / f"{name}-{device}.png")
        assert Image.open(path).size == (viewport["width"] * pixel_ratio, viewport["height"] * pixel_ratio)


def test_screenshot_of_the_editor_editing_a_condition_page(
    context, log_in, django_user_model, screenshots_dir
):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "a-long-test-password")
    page = context.new_page()
    log_in(page, admin)
    condition = ConditionPage.objects.get(slug="multiple-sclerosis")
    page.goto(reverse("wagtailadmin_pages:edit", args=[condition.pk]))
    page.get_by_role("heading", name=condition.title).wait_for()
    path = save_screenshot(page, screenshots_dir / "admin-edit-condition-desktop.png")
    assert Image.open(path).size == (DESKTOP["width"], DESKTOP["height"])
