"""The admin report of articles whose links are broken."""

from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from articles.models import ArticlePage, LinkStatus


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
