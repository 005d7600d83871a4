"""The admin's screens for the second factor (core/two_factor.py): the second step, setting up an
authenticator app, new recovery codes, staff's own passkeys (core/passkeys.py), and an administrator
removing a colleague's factors."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy

from core import two_factor

REMOVED_ACTION = "clinic.second_factor_removed"
ENROLLED_ACTION = "clinic.second_factor_enrolled"
NEW_RECOVERY_CODES_ACTION = "clinic.recovery_codes_renewed"
PASSKEY_ADDED_ACTION = "clinic.passkey_added"
PASSKEY_REMOVED_ACTION = "clinic.passkey_removed"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
    )


def next_url(request):
    """Where to go once the step is passed: the address asked for, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("wagtailadmin_home")


def account(user):
    """The user model's own instance for request.user, which the middlewares wrap twice over in lazy
    objects that Wagtail's log finds no log model for."""
    return get_user_model().objects.get(pk=user.pk)


def wait_message(until):
    if until is None:
        return "That code is not right. Try the newest code your app shows, or a recovery code."
    return "Too many wrong codes one after another: wait a few seconds, then type the newest code."


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step: a code from the app or a recovery code."""
    user = request.user
    if not two_factor.still_to_pass(user):
        return redirect(next_url(request))
    if not two_factor.authenticator(user):
        return redirect(two_factor.second_step_url(request, next_url(request)))
    if until := two_factor.paused_until(user):
        return two_factor.second_step_paused(request, until)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device, wait_until = two_factor.check_code(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.pass_second_step(request, device)
            if device == two_factor.recovery_codes_device(user):
                left = two_factor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. "
                    "Make new ones under Account › Recovery codes.",
                )
            return redirect(next_url(request))
        if until := two_factor.record_failure(user):
            return two_factor.second_step_paused(request, until)
        form.add_error("code", wait_message(wait_until))
    return TemplateResponse(
        request,
        "core/two_factor/verify.html",
        {"form": form, "next": next_url(request), "has_passkey": two_factor.passkeys(user).exists()},
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Setting up an authenticator app, for staff who have none: its QR code and key, then its first
    code; then the ten recovery codes, shown this once."""
    user = request.user
    if not two_factor.applies_to(user):
        return redirect(next_url(request))
    if two_factor.authenticator(user):
        return redirect(two_factor.second_step_url(request, next_url(request)))
    if until := two_factor.paused_until(user):
        return two_factor.second_step_paused(request, until)
    device = two_factor.new_authenticator(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        allowed, details = device.verify_is_allowed()
        codes = two_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is not None:
            log(instance=account(user), action=ENROLLED_ACTION, user=account(user))
            return TemplateResponse(
                request,
                "core/two_factor/recovery_codes.html",
                {"codes": codes, "next": next_url(request), "enrolled": True},
            )
        if until := two_factor.record_failure(user):
            return two_factor.second_step_paused(request, until)
        form.add_error("code", wait_message(None if allowed else (details or {}).get("locked_until")))
    return TemplateResponse(
        request,
        "core/two_factor/enrol.html",
        {
            "form": form,
            "next": next_url(request),
            "qr_code": two_factor.qr_code_svg(device),
            "key": two_factor.written_key(device),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """How many recovery codes are left, and ten new ones in their place (the old ones then stop
    working), shown once."""
    user = request.user
    if not two_factor.applies_to(user):
        raise PermissionDenied
    if request.method == "POST":
        codes = two_factor.new_recovery_codes(user)
        log(instance=account(user), action=NEW_RECOVERY_CODES_ACTION, user=account(user))
        return TemplateResponse(
            request,
            "core/two_factor/recovery_codes.html",
            {"codes": codes, "next": reverse("wagtailadmin_account")},
        )
    return TemplateResponse(
        request,
        "core/two_factor/recovery_codes_left.html",
        {"left": two_factor.remaining_recovery_codes(user)},
    )


@never_cache
@require_http_methods(["GET"])
def passkeys(request):
    """Staff's own passkeys, and adding one (the package's script, where the browser can; the
    session has passed the second step, so they have their authenticator app)."""
    user = request.user
    if not two_factor.applies_to(user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "core/two_factor/passkeys.html",
        {"passkeys": two_factor.passkeys(user)},
    )


@require_http_methods(["POST"])
def remove_passkey(request, passkey_id):
    """Staff remove one of their own passkeys (a lost laptop or key): it no longer signs them in."""
    user = request.user
    if not two_factor.applies_to(user):
        raise PermissionDenied
    passkey = get_object_or_404(two_factor.passkeys(user), pk=passkey_id)
    passkey.delete()
    log(instance=account(user), action=PASSKEY_REMOVED_ACTION, user=account(user))
    messages.success(request, f"“{passkey.name}” is removed: it no longer signs you in.")
    return redirect("second_factor_passkeys")


def may_remove_factors(administrator, colleague):
    """Administrators may remove anyone's factors; staff who manage accounts, those of anyone but
    administrators."""
    if administrator.is_superuser:
        return True
    accounts = ModelPermissionPolicy(get_user_model())
    return accounts.user_has_permission(administrator, "change") and not colleague.is_superuser


@never_cache
@require_http_methods(["GET", "POST"])
def remove_factors(request, user_id):
    """An administrator removes a colleague's authenticator app, recovery codes and passkeys (a lost
    phone): the colleague sets up a new app at their next sign-in. Recorded in the colleague's
    history, with how many passkeys went."""
    colleague = get_object_or_404(get_user_model(), pk=user_id)
    if not may_remove_factors(request.user, colleague):
        raise PermissionDenied
    if request.method == "POST":
        removed_passkeys = two_factor.remove_factors(colleague)
        log(
            instance=colleague,
            action=REMOVED_ACTION,
            user=account(request.user),
            data={"passkeys": removed_passkeys},
        )
        messages.success(
            request,
            f"{colleague.get_username()}'s second factor is removed: they set up a new one at their "
            "next sign-in.",
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "core/two_factor/remove.html",
        {
            "colleague": colleague,
            "has_factor": two_factor.authenticator(colleague) is not None,
            "passkeys": two_factor.passkeys(colleague).count(),
        },
    )
