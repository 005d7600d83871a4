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
        if not settings.STAFF_SECOND_FACTOR_REQUIRED:
            self.stdout.write(
                "The second step at sign-in (a code from an authenticator app) is off in development: "
                "the password alone signs in. Production always asks for it; "
                "`STAFF_SECOND_FACTOR=on make run` turns it on here, to try it."
            )
        else:
            self.stdout.write(
                "The second step at sign-in is on: after the password, the admin shows a QR code to "
                "scan with an authenticator app (or its key to type in), then asks for its code."
            )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
