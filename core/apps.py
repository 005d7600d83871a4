from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every page and app of the site builds on, importing none of them."""

    name = "core"
    verbose_name = "Clinic core"

    def ready(self):
        from core import cache_invalidation  # noqa: F401 - connects the page cache's signal receivers
