"""What every page shows around its own content: the clinic's name, logo, contact details,
registration and how it is paid, the main navigation, the consultation link, the footer's links and
the treatment status notice.

Built afresh for each request, once (the header, the footer, the page's sections and its JSON-LD
share it), in a handful of queries that do not grow with the site.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
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


def _linked_pages(root, details, consultation_type):
    """Every live page the chrome links to, in one query: the menu (the home page's children shown
    in menus), the consultation page, and the pages the clinic details name."""
    named = [details.questions_page_id, details.editorial_policy_page_id, details.privacy_page_id]
    in_site = Q(path__startswith=root.path)
    return (
        Page.objects.live()
        .filter(
            (in_site & Q(depth=root.depth + 1, show_in_menus=True))
            | (in_site & Q(content_type=consultation_type))
            | Q(pk__in=[pk for pk in named if pk])
        )
        .only("title", "url_path", "path", "depth", "live", "show_in_menus", "content_type")
        .order_by("path")
    )


def build_chrome(site, request):
    details = ClinicSettings.for_site(site)
    status = TreatmentStatus.objects.filter(site=site).first()
    root = site.root_page
    consultation_type = ContentType.objects.get_for_model(ConsultationPage)
    pages = list(_linked_pages(root, details, consultation_type))
    by_id = {page.pk: page for page in pages}
    consultation = next((page for page in pages if page.content_type_id == consultation_type.pk), None)
    navigation = [page for page in pages if page.depth == root.depth + 1 and page.show_in_menus]
    return {
        "name": details.name,
        "logo": _logo(details.logo),
        "phone": details.phone,
        "email": details.email,
        "address": details.address,
        "opening_hours": details.opening_hours,
        "registration": details.registration,
        "how_the_clinic_is_paid": details.how_the_clinic_is_paid,
        "navigation": [_link(page, request) for page in navigation],
        "consultation": _link(consultation, request),
        "questions": _link(by_id.get(details.questions_page_id), request),
        "editorial_policy": _link(by_id.get(details.editorial_policy_page_id), request),
        "privacy": _link(by_id.get(details.privacy_page_id), request),
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
