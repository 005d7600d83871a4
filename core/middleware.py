"""The Content-Security-Policy header, which differs between public pages and the admin.

Public pages get a strict policy (no inline script or style at all). The Wagtail admin renders
inline scripts and styles of its own, so it gets the looser policy in ADMIN_CSP; previews are
served from admin URLs and so fall under it too. (Permissions-Policy comes from
django-permissions-policy.)
"""

from django.conf import settings
from django.urls import reverse


def serialize_policy(directives):
    """{"default-src": ["'self'"], "upgrade-insecure-requests": []} -> a header value."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public_policy = serialize_policy(settings.PUBLIC_PAGES_CSP)
        self.admin_policy = serialize_policy(settings.ADMIN_CSP)
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            # Resolved on first use: URLconfs may not be loaded when middleware is built.
            self.admin_prefix = reverse("wagtailadmin_home")
        # Wagtail renders a preview through this middleware again, with a dummy request for the
        # page's own address; it is shown inside the admin, so it takes the admin's policy.
        in_admin = request.path.startswith(self.admin_prefix) or getattr(request, "is_dummy", False)
        policy = self.admin_policy if in_admin else self.public_policy
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
