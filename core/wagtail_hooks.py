"""Sign-in attempts in the Wagtail admin for administrators: who is locked out now, with a way to lift a lockout, and every failed sign-in
(django-axes' records; core/staff_login.py)."""

from axes.models import AccessAttempt, AccessFailureLog
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.dashboard import MissingClinicDetailsPanel
from core.models import ClinicSettings
from core.workflow_actions import site_page_viewsets


class ReadAndDeleteOnly(ModelPermissionPolicy):
    """Records of what visitors did: they may be read and removed, never written in the admin."""

    def user_has_permission(self, user, action):
        return action in ("view", "delete") and super().user_has_permission(user, action)


register_permission_policy(AccessAttempt, ReadAndDeleteOnly(AccessAttempt))
register_permission_policy(AccessFailureLog, ReadAndDeleteOnly(AccessFailureLog))


class SignInRecordsViewSet(ModelViewSet):
    """Axes' records, for administrators: read, searched and deleted, never written (ReadAndDeleteOnly)."""

    search_fields = ["username", "ip_address"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_settings_menu = True
    form_fields = []

    @property
    def inspect_view_fields(self):
        return [*self.list_display, "user_agent"]


class LockoutViewSet(SignInRecordsViewSet):
    """Failures counting towards a lockout, per account and address. Deleting one lifts its lockout."""

    model = AccessAttempt
    menu_label = "Sign-in lockouts"
    icon = "lock"
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    list_filter = ["username", "ip_address"]


class FailedSignInViewSet(SignInRecordsViewSet):
    model = AccessFailureLog
    menu_label = "Failed sign-ins"
    icon = "warning"
    list_display = ["username", "ip_address", "attempt_time", "locked_out", "path_info"]
    list_filter = ["locked_out"]


@hooks.register("register_admin_viewset")
def register_sign_in_attempts():
    return [LockoutViewSet("sign_in_lockouts"), FailedSignInViewSet("failed_sign_ins")]


@hooks.register("construct_homepage_panels")
def add_missing_clinic_details_panel(request, panels):
    # Only for whoever may fill them in, and only while something is missing.
    sites = list(ClinicSettings.get_permission_policy().sites_user_has_permission_for(request.user, "change"))
    panel = MissingClinicDetailsPanel(sites)
    if panel.gaps:
        panels.insert(0, panel)


@hooks.register("register_admin_viewset")
def register_site_page_viewsets():
    """Approving or requesting changes from the dashboard says what happened (core/workflow_actions.py)."""
    return site_page_viewsets()
