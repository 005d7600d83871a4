from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Related articles"

    def ready(self):
        from articles import cache_invalidation  # noqa: F401 - connects its purges' receivers
