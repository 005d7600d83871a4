from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic site"

    def ready(self):
        from clinic import cache_invalidation  # noqa: F401 - connects the page cache's signal receivers
