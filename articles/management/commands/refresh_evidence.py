from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles.evidence import NoRegistryReached, refresh_evidence
from articles.models import ArticlePage


class Command(BaseCommand):
    help = (
        "Ask Crossref, PubMed and ClinicalTrials.gov about every article with a DOI, PubMed ID or trial "
        "ID: record retractions, expressions of concern, corrections and trials' new status, print what "
        "changed and e-mail it to the medical reviewers. Changes nothing when no registry answers."
    )

    def handle(self, *args, **options):
        articles = list(
            ArticlePage.objects.filter(~Q(doi="") | ~Q(pmid="") | ~Q(nct_id=""))
            .defer_streamfields()
            .order_by("pk")
        )
        try:
            outcome = refresh_evidence(articles)
        except NoRegistryReached as failure:
            raise CommandError(
                f"No registry could be reached ({failure}). Nothing was changed: is this machine online?"
            ) from None
        for change in outcome.changes:
            self.stdout.write(self.style.WARNING(f"Changed: {change.article.title}: {change.description}"))
        for article, problem in outcome.problems:
            self.stdout.write(f"Not checked: {article.title}: {problem}")
        for article, problem in outcome.unreadable:
            self.stdout.write(f"Left empty: {article.title}: {problem}")
        for message in outcome.unreachable.values():
            self.stdout.write(self.style.WARNING(f"{message}: its articles were left as they were."))
        self.stdout.write(
            f"Checked {outcome.recorded} of {len(articles)} articles: {len(outcome.changes)} "
            f"change{'' if len(outcome.changes) == 1 else 's'} for the medical reviewers."
        )
