"""Approving or requesting changes from the dashboard's "Awaiting your review" panel: the reviewer is
told what happened to which page (Wagtail's own view says nothing), and an action a task refuses
(PermissionDenied with a reason) is refused with that reason instead of an error page.

Wagtail routes each page's workflow action to the view of the page type's viewset, so every page type
of the site gets a viewset whose only difference is this view."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState, get_page_models

from core.pages import SitePage


class TellingWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except PermissionDenied as refusal:
            if not str(refusal):
                raise
            return self.refuse(request, str(refusal))
        self.say_what_happened(request)
        return response

    def is_dialog(self, request):
        return request.headers.get("x-requested-with") == "XMLHttpRequest"

    def refuse(self, request, reason):
        """Nothing was done (the task's action runs in one transaction): say why, in the dialog if
        the action came from one."""
        if self.is_dialog(request) and self.form_class:
            form = self.form_class(request.POST)
            form.is_valid()
            form.add_error(None, reason)
            return self.render_modal_form(request, form)
        messages.error(request, reason)
        return redirect(self.redirect_url)

    def say_what_happened(self, request):
        task_state = TaskState.objects.get(pk=self.task_state.pk)
        page = Page.objects.get(pk=self.object.pk)  # as the action left it
        title = page.get_admin_display_title()
        if task_state.status == TaskState.STATUS_APPROVED:
            if page.live and page.live_revision_id == task_state.revision_id:
                message = f"'{title}' approved and published."
            else:
                message = f"'{title}' approved."
            summary = getattr(self.task, "approval_summary", None)
            if summary is not None and (said := summary(task_state)):
                message = f"{message} {said}"
            messages.success(request, message)
        elif task_state.status == TaskState.STATUS_REJECTED:
            messages.success(request, f"'{title}' sent back for changes: nothing was published.")


class SitePageViewSet(PageViewSet):
    """Wagtail's page viewset with the workflow action view above, and nothing else changed: it
    lists no page type's children (parent_models) so the explorer stays as it was."""

    workflow_action_view_class = TellingWorkflowActionView
    parent_models = []


def site_page_viewsets():
    return [
        SitePageViewSet(
            name=f"site_pages_{model.__module__.replace('.', '_')}_{model.__name__.lower()}", model=model
        )
        for model in get_page_models()
        if issubclass(model, SitePage)
    ]
