from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from visits import pages

        pages.connect_signals()
