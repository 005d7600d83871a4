"""The dashboard panel "Clinic details still empty", for whoever may edit the clinic's details: a fresh
site has none, and patients are then given no number, address or e-mail to reach the clinic."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from core.models import ClinicSettings

# The details patients look for, in the order of the form, with where the site shows them.
EXPECTED = [
    ("phone", "Phone number", "patients who would rather talk, on the consultation pages and in the footer"),
    ("email", "E-mail address", "patients who would rather write, and the consultation request e-mails"),
    ("address", "Postal address", "the footer and the consultation pages"),
    ("registration", "Registration", "who regulates the clinic, in the footer and on the consultation pages"),
    (
        "how_the_clinic_is_paid",
        "How the clinic is paid",
        "patients about to book, beside every 'Book a consultation' on condition pages and on the consultation form",
    ),
]


def missing_details(details):
    """(label, where it is shown) for each detail still empty in `details` (a ClinicSettings)."""
    return [(label, shown) for field, label, shown in EXPECTED if not getattr(details, field).strip()]


class MissingClinicDetailsPanel(Component):
    name = "missing_clinic_details"
    order = 40
    template_name = "core/admin/missing_clinic_details_panel.html"

    def __init__(self, sites):
        self.several_sites = len(sites) > 1
        # Per site: (site, what is missing, its Clinic details form), for the sites with something missing.
        self.gaps = [
            (site, missing, reverse("wagtailsettings:edit", args=["core", "clinicsettings", site.pk]))
            for site in sites
            if (missing := missing_details(ClinicSettings.for_site(site)))
        ]

    def get_context_data(self, parent_context):
        return {"gaps": self.gaps, "several_sites": self.several_sites}
