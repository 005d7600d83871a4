from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "clinic-dev-admin"  # noqa: S105 - development settings only, refused elsewhere


class Command(BaseCommand):
    help = "Create (once) the development administrator and print its login. Development settings only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The development login exists only with development settings (DEBUG on).")
        User = get_user_model()
        if not User.objects.filter(username=USERNAME).exists():
            User.objects.create_superuser(USERNAME, "admin@example.com", PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"Development admin: http://127.0.0.1:{options.get('port') or 8000}/admin/ "
                f"user '{USERNAME}', password '{PASSWORD}'"
            )
        )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
