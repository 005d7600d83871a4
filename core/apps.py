from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every page and app of the site builds on, importing none of them."""

    name = "core"
    verbose_name = "Clinic core"

    def ready(self):
        from wagtail.models import ReferenceIndex

        from core import (
            cache_invalidation,  # noqa: F401 - connects the purges' signal receivers
            checks,  # noqa: F401 - registers the settings' checks
        )
        from core.models import ClinicSettings

        # Wagtail indexes pages and snippets, not settings: indexed, the logo's image knows it is
        # shown on every page (its usage, and the whole site purged when it changes).
        ReferenceIndex.register_model(ClinicSettings)
