"""The beacon that counts page views and outside links followed, and the 404 page that counts
addresses not found (#32).

Pages stay in the shared caches: each carries its page id (the same for every visitor), and a
small first-party script (static/visits/count.js) sends it here with navigator.sendBeacon, with no
cookie and no CSRF token, since the beacon changes nothing but a count. Visitors who ask not to be
tracked (Global Privacy Control, Do Not Track) are not counted, by the script or here. The address
is used only for the limit per address (core.rate_limit, as a keyed hash) and never kept. Bad input
gets 400 and changes nothing; trouble with Redis or the database gets 204, logged, and nothing
counted: a beacon never makes a 5xx.
"""

import json
import logging
import re

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found as django_page_not_found

from core import rate_limit
from visits import pages
from visits.counting import count, count_all
from visits.models import Kind

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 2048
MAX_PATH_CHARACTERS = 200
# Narrower viewports than this are counted as phones.
PHONE_WIDTH = 768
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


def asks_not_to_be_tracked(request):
    return request.headers.get("Sec-GPC") == "1" or request.headers.get("DNT") == "1"


def _whole_number(value, most):
    # bool is an int in Python; JSON's true is not a page id.
    return type(value) is int and 0 <= value <= most


def _read(request):
    """The beacon's fields, or None if it is not one."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None
    if length > MAX_BODY_BYTES:
        return None
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not _whole_number(data.get("page"), 2**31 - 1):
        return None
    if data.get("kind") == Kind.VIEW:
        referrer = data.get("referrer", "")
        if not _whole_number(data.get("width"), 100_000) or not isinstance(referrer, str):
            return None
        referrer = referrer.lower()
        if referrer and not HOST_NAME.match(referrer):
            return None
        return {"kind": Kind.VIEW, "page": data["page"], "width": data["width"], "referrer": referrer}
    if data.get("kind") == Kind.OUTBOUND:
        return {"kind": Kind.OUTBOUND, "page": data["page"]}
    return None


@csrf_exempt
@never_cache
def beacon(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Outside the try below: a host not in ALLOWED_HOSTS gets Django's 400, not a logged failure.
    host = request.get_host().split(":")[0].lower()
    if asks_not_to_be_tracked(request):
        return HttpResponse(status=204)
    data = _read(request)
    if data is None:
        return HttpResponseBadRequest("Not a beacon this site sends.")
    try:
        live_pages, articles = pages.known()
        if data["page"] not in (live_pages if data["kind"] == Kind.VIEW else articles):
            return HttpResponseBadRequest("No such page.")
        counts = [(data["kind"], data["page"])]
        if data["kind"] == Kind.VIEW:
            counts.append((Kind.DEVICE, "phone" if data["width"] < PHONE_WIDTH else "desktop"))
            if data["referrer"] and data["referrer"] != host:
                counts.append((Kind.REFERRER, data["referrer"]))
        if not count_all(counts, sender=rate_limit.sender(request, "visits")):
            return HttpResponse(status=429)
    except Exception:
        logger.exception("Visits: a beacon could not be counted")
    return HttpResponse(status=204)


def page_not_found(request, exception):
    """Django's 404 page, after counting its address (the path alone, cut to 200 characters)."""
    if not asks_not_to_be_tracked(request):
        try:
            count(Kind.NOT_FOUND, request.path[:MAX_PATH_CHARACTERS])
        except Exception:
            logger.exception("Visits: an address not found could not be counted")
    return django_page_not_found(request, exception)


def count_consultation_request(request, page_id):
    """The `consultation_request_sent` hook: one more request from the page the patient came from
    (a live public page, else "" for none named). Nothing ties the count to the request."""
    if asks_not_to_be_tracked(request):
        return
    try:
        live_pages, _ = pages.known()
        count(Kind.REQUEST, page_id if page_id in live_pages else "")
    except Exception:
        logger.exception("Visits: a consultation request could not be counted")
