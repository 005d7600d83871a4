"""Staff sign-in that resists password guessing, through django-axes.

Axes sees every sign-in, whichever form it comes through (`/admin/login/`, Wagtail's front-end
`/_util/login/`): its authentication backend refuses a locked-out visitor before the password is
even checked, and every failure is stored in the database, so the count is shared by every server
and survives a cache outage. What this module adds to axes:

- Two limits: failures for one account *from one address* (settings.AXES_FAILURE_LIMIT), so that
  someone guessing elsewhere cannot lock a member of staff out; and all failures from one address
  (settings.SIGN_IN_ADDRESS_FAILURE_LIMIT, higher because an office shares one address), so that
  guessing across many accounts stops too.
- Usernames counted whatever their capitals.
- The answer while locked out: a page in the site's design that says so, with Retry-After.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def username_for_counting(request, credentials):
    """ "Editor" and "EDITOR" are guesses at the same account."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return username.casefold()


def _failures(attempts):
    return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


class StaffSignInHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the address alone.

    AXES_LOCKOUT_PARAMETERS gives two sets of attempts, in this order: this account from this
    address, and everything from this address. Axes compares one number with one limit
    (AXES_FAILURE_LIMIT), so an address past its own limit reports that limit reached.
    """

    def get_failures(self, request, credentials=None):
        account_from_address, address = self.get_user_attempts(request, credentials)
        failures = _failures(account_from_address)
        if _failures(address) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures

    def reset_user_attempts(self, request, credentials=None):
        """Signing in clears that account's mistakes from that address, and nothing else: the
        address's failures at other accounts keep counting, or one known password would let an
        address guess at every other account without end."""
        account_from_address, _ = self.filter_user_attempts(request, credentials)
        count, _ = account_from_address.delete()
        return count


def sign_in_paused(request, original_response=None, credentials=None):
    """Axes' answer to a locked-out visitor (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "clinic/sign_in_paused.html",
        {"minutes": minutes, "sign_in_url": request.path},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
