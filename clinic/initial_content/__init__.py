"""The site's own initial pages from the client's content file (pages.json): the home page, the
clinic's details and treatment status notice, and the information pages linked from every page.
The other apps bring the rest (core.initial_content)."""

import json
from pathlib import Path

from django.db import transaction
from wagtail.models import Page, Site

from clinic.models import HomePage, StandardPage
from conditions.initial_content import require_medical_review
from core.initial_content import get_or_create_child, site_home
from core.models import ClinicSettings, TreatmentStatus

CONTENT_FILE = Path(__file__).with_name("pages.json")


def read_content():
    return json.loads(CONTENT_FILE.read_text(encoding="utf-8"))


def ensure_home_page(content, log):
    """Make a HomePage the default site's root, replacing Wagtail's placeholder welcome page."""
    home = site_home()
    if isinstance(home, HomePage):
        return home
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = Page.get_first_root_node()
    placeholder = None
    if site is not None and type(site.root_page.specific) is Page:
        placeholder = site.root_page
        # Free the slug for the home page that replaces it.
        placeholder.slug = f"{placeholder.slug}-placeholder-{placeholder.pk}"
        placeholder.save()
    home, created = get_or_create_child(root, HomePage, **content["home"])
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    site.site_name = content["clinic_name"]
    site.save()
    if placeholder is not None:
        placeholder.delete()
    if created:
        log(f"Created home page '{home.title}'")
    return home


def load_home_page(log=print):
    content = read_content()
    with transaction.atomic():
        home = ensure_home_page(content, log)
        site = Site.objects.get(root_page=home)
        ClinicSettings.objects.get_or_create(site=site, defaults={"name": content["clinic_name"]})
        TreatmentStatus.objects.get_or_create(site=site, defaults={"notice": content["treatment_status"]})
        # No reviewer profile and no review: each is recorded when a medical reviewer approves a page.
        require_medical_review(home)


def link_site_wide_pages(site, pages_by_slug):
    """Point the site-wide links at the standard pages just created (a later run leaves staff choices alone)."""
    details = ClinicSettings.for_site(site)
    for field, slug in [
        ("questions_page", "questions-to-ask"),
        ("editorial_policy_page", "editorial-policy"),
        ("privacy_page", "privacy"),
    ]:
        if slug in pages_by_slug:
            setattr(details, field, pages_by_slug[slug])
            details.save(update_fields=[field])


def load_standard_pages(log=print):
    with transaction.atomic():
        home = site_home()
        created_pages = {}
        for standard in read_content()["standard_pages"]:
            page, created = get_or_create_child(home, StandardPage, **standard)
            if created:
                created_pages[page.slug] = page
                log(f"Created page '{page.title}'")
        link_site_wide_pages(home.get_site(), created_pages)
