from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles import recruiting_trials
from articles.citations import CLINICALTRIALS
from articles.evidence import NoRegistryReached, refresh_evidence
from articles.models import ArticlePage


class Command(BaseCommand):
    help = (
        "Ask Crossref, PubMed and ClinicalTrials.gov about every article with a DOI, PubMed ID or trial "
        "ID: record retractions, expressions of concern, corrections and trials' new status; ask "
        "ClinicalTrials.gov for the trials recruiting for each condition page that lists them; print what "
        "changed and e-mail it to the medical reviewers. Changes nothing when no registry answers."
    )

    def handle(self, *args, **options):
        articles = list(
            ArticlePage.objects.filter(~Q(doi="") | ~Q(pmid="") | ~Q(nct_id=""))
            .defer_streamfields()
            .order_by("pk")
        )
        conditions = recruiting_trials.conditions_listing_trials()
        try:
            outcome = refresh_evidence(articles, conditions)
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
        for moves in outcome.trial_moves:
            for trial in moves.joined:
                self.stdout.write(
                    self.style.WARNING(
                        f"Trial joined: {moves.condition.title}: {recruiting_trials.described(trial)}"
                    )
                )
            for trial in moves.left:
                self.stdout.write(
                    self.style.WARNING(
                        f"Trial left: {moves.condition.title}: {recruiting_trials.described(trial)}"
                    )
                )
        for service, message in outcome.unreachable.items():
            left = "its articles" + (
                " and the lists of recruiting trials" if service == CLINICALTRIALS.name and conditions else ""
            )
            self.stdout.write(self.style.WARNING(f"{message}: {left} were left as they were."))
        self.stdout.write(
            f"Checked {outcome.recorded} of {len(articles)} articles: {len(outcome.changes)} "
            f"change{'' if len(outcome.changes) == 1 else 's'} for the medical reviewers."
        )
        moved = len(outcome.trial_moves)
        self.stdout.write(
            f"Renewed {len(outcome.trial_lists)} of {len(conditions)} lists of recruiting trials: "
            f"{moved} with trials joining or leaving."
        )
