"""Sign-in attempts in the Wagtail admin for administrators: who is locked out now, with a way to lift a lockout, and every failed sign-in
(django-axes' records; core/staff_login.py)."""

from axes.models import AccessAttempt, AccessFailureLog
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core import passkeys, two_factor, two_factor_views
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


# Staff's second factor (core/two_factor.py).


@hooks.register("register_admin_urls")
def register_second_factor_urls():
    return [
        path("second-factor/", two_factor_views.verify, name="second_factor_verify"),
        path("second-factor/set-up/", two_factor_views.enrol, name="second_factor_enrol"),
        path(
            "second-factor/recovery-codes/",
            two_factor_views.recovery_codes,
            name="second_factor_recovery_codes",
        ),
        path(
            "second-factor/remove/<int:user_id>/",
            two_factor_views.remove_factors,
            name="second_factor_remove",
        ),
        path("second-factor/passkeys/", two_factor_views.passkeys, name="second_factor_passkeys"),
        path(
            "second-factor/passkeys/<int:passkey_id>/remove/",
            two_factor_views.remove_passkey,
            name="second_factor_passkey_remove",
        ),
        # django-otp-webauthn's endpoints, under the names its scripts are given.
        path("second-factor/webauthn/", include((passkeys.urlpatterns, "otp_webauthn"))),
    ]


@hooks.register("before_serve_page")
def private_pages_wait_for_the_second_step(page, request, serve_args, serve_kwargs):
    """A private page (login-only, or for some groups) opens for staff only once they have given
    their code; visitors who are not staff never give one."""
    if two_factor.still_to_pass(request.user) and page.get_view_restrictions().exists():
        return two_factor.redirect_to_second_step(request)
    return None


@hooks.register("before_serve_document")
def private_documents_wait_for_the_second_step(document, request):
    if two_factor.still_to_pass(request.user) and document.collection.get_view_restrictions().exists():
        return two_factor.redirect_to_second_step(request)
    return None


@hooks.register("register_account_menu_item")
def recovery_codes_in_the_account_menu(request):
    if two_factor.applies_to(request.user):
        return {
            "url": reverse("second_factor_recovery_codes"),
            "label": "Recovery codes",
            "help_text": "How many you have left, and ten new ones for signing in without your phone.",
        }
    return None


@hooks.register("register_account_menu_item")
def passkeys_in_the_account_menu(request):
    if two_factor.applies_to(request.user):
        return {
            "url": reverse("second_factor_passkeys"),
            "label": "Passkeys",
            "help_text": "Pass the second step with your fingerprint, face, screen lock or security key.",
        }
    return None


@hooks.register("register_user_listing_buttons")
def remove_second_factor_button(user, request_user):
    if two_factor_views.may_remove_factors(request_user, user) and two_factor.authenticator(user):
        yield Button(
            "Remove second factor",
            url=reverse("second_factor_remove", args=[user.pk]),
            icon_name="key",
            priority=90,
        )


class FactorsRemoved(LogFormatter):
    label = "Remove second factor"

    def format_message(self, log_entry):
        passkeys = log_entry.data.get("passkeys", 0)
        with_passkeys = f", and {passkeys} passkey{'s' if passkeys != 1 else ''}," if passkeys else ""
        return f"Second factor removed{with_passkeys}: must set up an authenticator app again"


@hooks.register("register_log_actions")
def second_factor_log_actions(actions):
    actions.register_action(two_factor_views.REMOVED_ACTION)(FactorsRemoved)
    actions.register_action(two_factor_views.PASSKEY_ADDED_ACTION, "Add passkey", "Passkey added")
    actions.register_action(two_factor_views.PASSKEY_REMOVED_ACTION, "Remove passkey", "Passkey removed")
    actions.register_action(
        two_factor_views.ENROLLED_ACTION, "Set up second factor", "Authenticator app set up"
    )
    actions.register_action(
        two_factor_views.NEW_RECOVERY_CODES_ACTION, "New recovery codes", "New recovery codes made"
    )
