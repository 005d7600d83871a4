from django.core.management.base import BaseCommand

from core.initial_content import load_all


class Command(BaseCommand):
    help = "Create the site's initial pages from the client's content. Never overwrites existing pages."

    def handle(self, *args, **options):
        load_all(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Initial content is in place."))
