"""The articles in the Wagtail admin: a filterable listing, the broken links report, Marketing's permissions."""

from datetime import timedelta

import django_filters
from django import forms
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, RelatedObjectsColumn
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from articles.initial_content import load_articles
from articles.models import (
    ArticleIndexPage,
    ArticlePage,
    EvidenceChange,
    EvidenceKind,
    LinkStatus,
    NoticeKind,
)
from articles.references import RETRACTED_ATTRIBUTE, ArticleCitingPageLinkHandler, references_of
from articles.roles import let_marketing_manage_articles
from articles.views import BrokenLinksReportView, EvidenceChangesReportView, look_up_citation
from conditions.models import ConditionPage
from core.content_checks import add_content_checks, marked_content_check


class ArticleFilterSet(PageListingViewSet.filterset_class):
    condition = django_filters.ModelMultipleChoiceFilter(
        label="Condition",
        queryset=ConditionPage.objects.order_by("path"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_condition",
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind of evidence", choices=EvidenceKind.choices, widget=forms.CheckboxSelectMultiple
    )
    link_status = django_filters.MultipleChoiceFilter(
        label="Link", choices=LinkStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    evidence_notice = django_filters.MultipleChoiceFilter(
        label="Notice", choices=NoticeKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ArticlePage
        fields = []

    def filter_condition(self, articles, name, conditions):
        if not conditions:
            return articles
        # A subquery rather than a join, so that the listing's search can still apply on top.
        about = ArticlePage.conditions.through.objects.filter(conditionpage__in=conditions)
        return articles.filter(pk__in=about.values("articlepage_id"))


# Wagtail's own page listing columns, by name: title, status, date updated...
PAGE_COLUMNS = {column.name: column for column in PageListingViewSet.columns}


class LinkStatusColumn(Column):
    """The last link check's verdict; a broken link in red with a warning sign, so it stands out."""

    cell_template_name = "articles/admin/link_status_cell.html"


class PageEditorsMenuItem(MenuItem):
    """Shown only to staff who may work on some page: anyone else would be refused behind it."""

    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change", "publish"])


class ArticleListingView(PageListingViewSet.index_view_class):
    def get_base_queryset(self):
        # Every row lists its conditions: one query for the whole page of rows.
        return super().get_base_queryset().prefetch_related("conditions", for_specific_subqueries=True)


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    icon = "doc-full"
    menu_label = "Articles"
    menu_order = 150
    menu_item_class = PageEditorsMenuItem
    add_to_admin_menu = True
    index_view_class = ArticleListingView
    filterset_class = ArticleFilterSet
    columns = [
        PAGE_COLUMNS["bulk_actions"],
        PAGE_COLUMNS["title"],
        Column("kind", label="Kind of evidence", accessor="get_kind_display", sort_key="kind"),
        RelatedObjectsColumn("conditions", label="Conditions"),
        LinkStatusColumn(
            "link_status", label="Link", accessor="get_link_status_display", sort_key="link_status"
        ),
        Column(
            "evidence_notice",
            label="Notice",
            accessor="get_evidence_notice_display",
            sort_key="evidence_notice",
        ),
        PAGE_COLUMNS["latest_revision_created_at"],
        PAGE_COLUMNS["status"],
    ]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles")


@hooks.register("register_admin_urls")
def register_article_admin_urls():
    return [
        path("articles/look-up/", look_up_citation, name="article_look_up_citation"),
        path(
            "reports/evidence-changes/", EvidenceChangesReportView.as_view(), name="article_evidence_changes"
        ),
        path(
            "reports/evidence-changes/results/",
            EvidenceChangesReportView.as_view(results_only=True),
            name="article_evidence_changes_results",
        ),
        path("reports/broken-article-links/", BrokenLinksReportView.as_view(), name="article_broken_links"),
        path(
            "reports/broken-article-links/results/",
            BrokenLinksReportView.as_view(results_only=True),
            name="article_broken_links_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_broken_links_report_menu_item():
    return PageEditorsMenuItem(
        "Broken article links", reverse("article_broken_links"), icon_name="warning", order=1150
    )


@hooks.register("register_reports_menu_item")
def register_evidence_changes_report_menu_item():
    return PageEditorsMenuItem(
        "Evidence changes", reverse("article_evidence_changes"), icon_name="warning", order=1140
    )


class EvidenceChangesPanel(Component):
    """On the dashboard: what the daily evidence check found in the last weeks."""

    name = "evidence_changes"
    template_name = "articles/admin/evidence_changes_panel.html"
    order = 60
    recent_days = 30

    def __init__(self, changes, editable_conditions):
        self.changes = changes
        self.editable_conditions = editable_conditions

    def get_context_data(self, parent_context):
        return {
            "changes": self.changes,
            "editable_conditions": self.editable_conditions,
            "recent_days": self.recent_days,
        }


@hooks.register("construct_homepage_panels")
def add_evidence_changes_panel(request, panels):
    # The changes to articles this member of staff may edit; the condition pages to review again
    # are links for those who may edit them (the medical reviewers), only named for the others.
    since = timezone.now() - timedelta(days=EvidenceChangesPanel.recent_days)
    changes = list(
        EvidenceChange.objects.filter(
            noticed_at__gte=since, article__in=ArticlePage.objects.editable_by(request.user)
        )
        .select_related("article")
        .prefetch_related("article__conditions")
    )
    if changes:
        editable = set(ConditionPage.objects.editable_by(request.user).values_list("pk", flat=True))
        panels.append(EvidenceChangesPanel(changes, editable))


@hooks.register("insert_editor_js")
def citation_look_up_script():
    return format_html(
        '<script src="{}" data-look-up-url="{}" defer></script>',
        static("articles/citation_look_up.js"),
        reverse("article_look_up_citation"),
    )


@hooks.register("after_create_page")
def let_marketing_manage_new_articles_index(request, page):
    if isinstance(page.specific, ArticleIndexPage):
        let_marketing_manage_articles(page)


hooks.register("load_initial_content", load_articles, order=20)


# After Wagtail's own registration of internal page links (order 0), which it replaces.
@hooks.register("register_rich_text_features", order=10)
def register_article_citing_page_links(features):
    features.register_link_type(ArticleCitingPageLinkHandler)


@hooks.register("construct_structured_data")
def add_citations_to_condition_pages(page, request, data):
    """A condition page's JSON-LD lists the articles its text cites, as its references do."""
    if isinstance(page, ConditionPage):
        cited = references_of(page)
        if cited:
            data["citation"] = [reference.article.citation_data(request) for reference in cited]


@hooks.register("construct_wagtail_userbar")
def check_citations_of_retracted_studies(request, items, page):
    """A rule of Wagtail's content checker (the editor's Checks panel and the userbar) reporting
    each citation of a retracted study in the text: the preview marks them."""
    add_content_checks(
        items,
        rules=[
            {
                "id": "retracted-citation",
                "impact": "serious",
                "selector": f"[{RETRACTED_ATTRIBUTE}]",
                "tags": ["evidence"],
                "none": ["retracted-study-cited"],
                "enabled": True,
            }
        ],
        checks=[marked_content_check("retracted-study-cited", RETRACTED_ATTRIBUTE)],
        messages={
            "retracted-citation": {
                "error_name": "Cites a retracted study",
                "help_text": "The journal retracted this study: remove the citation and what rests on it.",
            }
        },
    )


@hooks.register("medical_review_warnings")
def warn_reviewers_of_retracted_citations(page):
    """The approval dialog names each retracted study the version under review cites, in its text or
    in "Compare your options", as the Checks panel reports it to the editor."""
    if not isinstance(page, ConditionPage):
        return []
    return [
        ("Cites a retracted study", f"“{reference.article.title}” ({reference.article.notice_label})")
        for reference in references_of(page)
        if reference.article.is_retracted
    ]
