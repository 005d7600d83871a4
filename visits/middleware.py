"""The visit beacon, answered ahead of the rest of the middleware.

Every page view sends a beacon, so its cost matters more than any page's behind Varnish. It reads no
session, user or CSRF token, sets no cookie and answers with no body, so the chain after this has
nothing to give it; skipping it serves about a third more beacons a second (docs/performance.md).
Its address stays in clinic/urls.py, where templates look it up; a host not in ALLOWED_HOSTS
still gets 400 (the view asks for the host first).
"""

from django.urls import reverse

from visits.views import beacon


class BeaconMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.beacon_path = reverse("visits_beacon")

    def __call__(self, request):
        if request.path_info == self.beacon_path:
            return beacon(request)
        return self.get_response(request)
