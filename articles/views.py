"""The articles' admin views: the editor's citation look-up, and the reports of broken links and
changed evidence."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.urls import reverse
from wagtail.admin.ui.tables import Column, DateColumn, RelatedObjectsColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies.pages import PagePermissionPolicy

from articles.citations import LOOK_UP_SERVICES, LOOK_UPS, LookupFailed
from articles.identifiers import normalise_doi, normalise_nct_id, normalise_pmid
from articles.models import DUPLICATE_CHECKED_FIELDS, ArticlePage, EvidenceChange, LinkStatus

IDENTIFIERS = {"doi": normalise_doi, "pmid": normalise_pmid, "nct_id": normalise_nct_id}
IDENTIFIER_NAMES = {"doi": "DOI", "pmid": "PubMed ID", "nct_id": "ClinicalTrials.gov ID"}


def look_up_citation(request):
    """The citation for ?doi=, ?pmid= or ?nct_id=, as the editor's fields take it: {"fields": {...}}
    with the registry that gave them in "service" and what could not be read in "unreadable", or
    {"error": "..."} saying what to do instead. ?article= names the article being edited, if saved.
    Another article with the identifier is found before any registry is asked: {"error": "...",
    "duplicate": {"title": ..., "edit_url": ...}}. Nothing is saved: the editor checks and saves."""
    if not PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        raise PermissionDenied
    name = next((name for name in IDENTIFIERS if request.GET.get(name, "").strip()), None)
    if name is None:
        return JsonResponse({"error": "Paste a DOI, PubMed ID or ClinicalTrials.gov ID first."}, status=400)
    try:
        identifier = IDENTIFIERS[name](request.GET[name])
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    duplicate = article_citing(name, identifier, request.GET.get("article", ""))
    if duplicate is not None:
        return JsonResponse(
            {
                "error": (
                    f"The article “{duplicate.title}” already has this {IDENTIFIER_NAMES[name]}: patients "
                    "would see the same evidence listed twice."
                ),
                "duplicate": {
                    "title": duplicate.title,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[duplicate.pk]),
                },
            },
            status=409,
        )
    try:
        citation = LOOK_UPS[name](identifier)
    except LookupFailed as failure:
        return JsonResponse({"error": f"{failure}; fill the fields in by hand."}, status=502)
    date_input = AdminDateInput()
    fields = {
        field: date_input.format_value(value) if hasattr(value, "isoformat") else value
        for field, value in citation.fields.items()
    }
    notice = citation.gravest_notice
    return JsonResponse(
        {
            "service": LOOK_UP_SERVICES[name].name,
            "fields": fields,
            "notice": f"{notice.kind.label}: see {notice.url}" if notice else "",
            "unreadable": (
                "; ".join(citation.unreadable) + ": fill that in by hand" if citation.unreadable else ""
            ),
        }
    )


def article_citing(name, identifier, editing):
    """Another article (live or draft) with this identifier than the one being edited, if any."""
    article = ArticlePage(**{name: identifier})
    if editing.isdigit():
        article.pk = int(editing)
    return article.article_with_same(name, DUPLICATE_CHECKED_FIELDS[name])


class BrokenLinksReportView(ReportView):
    page_title = "Broken article links"
    header_icon = "warning"
    index_url_name = "article_broken_links"
    index_results_url_name = "article_broken_links_results"
    model = ArticlePage
    any_permission_required = ["add", "change", "publish"]
    no_results_message = (
        "No broken links: every checked article link works (or the link check has not run yet)."
    )
    columns = [
        TitleColumn("title", label="Article", url_name="wagtailadmin_pages:edit"),
        Column("link_url", label="Link"),
        Column("link_problem", label="Problem"),
        Column("link_final_url", label="Address after redirects"),
        DateColumn("link_checked_at", label="Checked"),
    ]
    list_export = ["title", "link_url", "link_problem", "link_final_url", "link_checked_at"]
    export_headings = {"link_url": "Link", "link_problem": "Problem", "link_checked_at": "Checked"}

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        return (
            ArticlePage.objects.filter(link_status=LinkStatus.BROKEN, pk__in=editable.values("pk"))
            .defer_streamfields()
            .order_by("title")
        )


class EvidenceChangesReportView(ReportView):
    """What the daily evidence check found: retractions, notices and trials' new status, each with
    the condition pages that list the article, for the medical reviewers to look at again."""

    page_title = "Evidence changes"
    header_icon = "warning"
    index_url_name = "article_evidence_changes"
    index_results_url_name = "article_evidence_changes_results"
    model = EvidenceChange
    any_permission_required = ["add", "change", "publish"]
    no_results_message = (
        "No evidence has changed since the articles were listed (or the daily check has not run yet)."
    )
    columns = [
        TitleColumn("article", label="Article", url_name="wagtailadmin_pages:edit", id_accessor="article_id"),
        Column("description", label="What changed"),
        RelatedObjectsColumn("conditions", label="Condition pages to review"),
        Column("notice_url", label="Notice or registration"),
        DateColumn("noticed_at", label="Found"),
    ]
    list_export = ["article", "description", "notice_url", "noticed_at"]

    def get_queryset(self):
        # The changes to articles this member of staff may edit, each a link to its editor.
        return (
            EvidenceChange.objects.filter(article__in=ArticlePage.objects.editable_by(self.request.user))
            .select_related("article")
            .prefetch_related("article__conditions")
        )

    @property
    def permission_policy(self):
        return PagePermissionPolicy()
