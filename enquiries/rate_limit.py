"""How many consultation requests one address may send: settings.ENQUIRY_RATE_LIMIT an hour
(core.rate_limit counts them). While the cache is unreachable, the requests stored in the last hour
are counted instead (see `ConsultationPage.store_within_limit`). Only requests that are kept count,
so a patient correcting mistakes is never held back.
"""

from core import rate_limit

window_start = rate_limit.window_start
HELD_BACK = (
    "We have already received several requests from your connection in the last hour, so this one "
    "has not been sent yet. Your answers are still below: please try again in an hour"
)


def message(details):
    """What a patient held back reads: another way to reach the clinic only if its details (a
    ClinicSettings) give one, never "phone us" without a number."""
    if details.phone:
        return f"{HELD_BACK}, or phone us on {details.phone}."
    if details.email:
        return f"{HELD_BACK}, or e-mail us at {details.email}."
    return f"{HELD_BACK}."


def sender(request):
    return rate_limit.sender(request, "enquiries")


def count_in_cache(sender):
    return rate_limit.count_in_cache("enquiries", sender)
