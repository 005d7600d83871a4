from django.core.management.base import BaseCommand

from articles.initial_content import load_articles
from clinic.initial_content import load_pages
from enquiries.initial_content import load_consultation_page

# Each app's part of the initial content, in the order they depend on each other.
LOADERS = [
    load_pages,
    load_articles,
    load_consultation_page,  # after the condition pages and the privacy notice
]


class Command(BaseCommand):
    help = "Create the site's initial pages from the client's content. Never overwrites existing pages."

    def handle(self, *args, **options):
        for load in LOADERS:
            load(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Initial content is in place."))
