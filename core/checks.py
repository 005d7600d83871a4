"""Checks `manage.py check` (and every start of the site) makes of its settings."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def documents_outside_public_media(app_configs, **kwargs):
    """Whatever serves MEDIA_ROOT (a web server, SERVE_MEDIA) would serve documents kept inside it."""
    documents = Path(settings.DOCUMENTS_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if documents == media or media in documents.parents:
        return [
            Error(
                f"DOCUMENTS_ROOT ({documents}) is inside MEDIA_ROOT ({media}), which is served to anyone.",
                hint="Keep documents in a folder of their own, outside MEDIA_ROOT.",
                id="core.E001",
            )
        ]
    return []
