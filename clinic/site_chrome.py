"""What every page shows around its own content: the clinic's name, logo, contact details and
registration, the main navigation, the consultation link, the footer's links and the treatment status notice.

Built afresh for each request, once (the header, the footer, the page's sections and its JSON-LD
share it), in a handful of queries that do not grow with the site.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from core.models import ClinicSettings, TreatmentStatus
from enquiries.models import ConsultationPage


def _link(page, request):
    # Every field read here is among those the queries below load: none costs a query of its own.
    return (
        {"title": page.title, "url": page.get_url(request), "path": page.path} if page and page.live else None
    )


def _logo(image):
    if image is None:
        return None
    # Shown 48 px high; three times that for sharp screens, and the 112 px search engines ask of a logo.
    rendition = image.get_rendition("height-144")
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def build_chrome(site, request):
    details = ClinicSettings.for_site(site)
    status = TreatmentStatus.objects.filter(site=site).first()
    navigation = (
        Page.objects.child_of(site.root_page)
        .live()
        .in_menu()
        .only("title", "url_path", "path", "depth", "live")
    )
    consultation = (
        ConsultationPage.objects.live()
        .descendant_of(site.root_page)
        .only("title", "url_path", "path", "live")
        .first()
    )
    return {
        "name": details.name,
        "logo": _logo(details.logo),
        "phone": details.phone,
        "email": details.email,
        "address": details.address,
        "opening_hours": details.opening_hours,
        "registration": details.registration,
        "navigation": [_link(page, request) for page in navigation],
        "consultation": _link(consultation, request),
        "questions": _link(details.questions_page, request),
        "editorial_policy": _link(details.editorial_policy_page, request),
        "privacy": _link(details.privacy_page, request),
        "treatment_status": mark_safe(expand_db_html(status.notice)) if status else "",  # noqa: S308 - editor rich text
    }


def site_chrome(request):
    """The chrome of the request's site, built on the request's first use of it."""
    if getattr(request, "site_chrome", None) is None:
        site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
        request.site_chrome = build_chrome(site, request)
    return request.site_chrome


def context(request):
    """Template context processor: `chrome`, built on first use."""
    return {"chrome": SimpleLazyObject(lambda: site_chrome(request))}
