import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from clinic.search import search
from conditions.views import medical_reviewer
from core import views as core_views
from feedback import views as feedback_views
from visits import views as visits_views

handler500 = core_views.server_error
# Django's 404 page, counting the address not found (the path alone; visits/views.py).
handler404 = visits_views.page_not_found

# What Django's sitemap view reads from its query string (the page of a long sitemap): the cache in
# front keeps it in its key.
SITEMAP_QUERY_PARAMETERS = ("p",)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    path("search/", search, name="search"),
    path("reviewers/<int:pk>/", medical_reviewer, name="medical_reviewer"),
    path("feedback/", feedback_views.send_feedback, name="send_feedback"),
    path("feedback/thanks/<int:page_id>/", feedback_views.thanks, name="feedback_thanks"),
    path("visits/beacon", visits_views.beacon, name="visits_beacon"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Uploaded files, for development and local trials; in production the web server in front
    # (or the object store) serves them.
    from django.views.static import serve

    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail's page serving comes last: it claims every URL the patterns above don't.
urlpatterns += [path("", include(wagtail_urls))]
