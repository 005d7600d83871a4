from django.core.management.base import BaseCommand

from visits.rollup import roll_up


class Command(BaseCommand):
    help = "Copy the daily visit counts Redis holds into the database (safe to run again, or on several servers)."

    def handle(self, *args, **options):
        written = roll_up()
        if options["verbosity"]:
            self.stdout.write(f"{written} counts rolled up.")
