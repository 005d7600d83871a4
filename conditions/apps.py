from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Conditions"

    def ready(self):
        from conditions import cache_invalidation  # noqa: F401 - connects its purges' receivers
