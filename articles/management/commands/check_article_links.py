from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.link_health import check_links
from articles.models import ArticlePage, LinkStatus


class Command(BaseCommand):
    help = (
        "Check every article's outbound link (its web address, else its DOI) and record the result: "
        "ok, broken or blocked. Broken links are listed in the admin's reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=8, help="Links checked at the same time.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for each site.")
        parser.add_argument("--retries", type=int, default=1, help="Further tries for a site that timed out.")

    def handle(self, *args, workers, timeout, retries, **options):
        articles = [
            article
            for article in ArticlePage.objects.only("title", "external_url", "doi")
            if article.link_url
        ]
        results = check_links(
            [article.link_url for article in articles], workers=workers, timeout=timeout, retries=retries
        )
        asked = [result for result in results.values() if not result.refused]
        if asked and all(result.status_code is None for result in asked):
            # Not one site answered: this machine is offline, not every link broken.
            raise CommandError(
                f"No site answered ({asked[0].problem}, and so on for every link). "
                "Nothing was changed: is this machine online?"
            )
        checked_at = timezone.now()
        counts = dict.fromkeys(LinkStatus, 0)
        for article in articles:
            result = results[article.link_url]
            # update(), not save(): the finding is about the live link and must not make a revision.
            ArticlePage.objects.filter(pk=article.pk).update(
                link_status=result.status,
                link_status_code=result.status_code,
                link_checked_url=article.link_url,
                link_final_url=result.final_url[:2000],
                link_checked_at=checked_at,
                link_problem=result.problem,
            )
            counts[result.status] += 1
            if result.status == LinkStatus.BROKEN:
                self.stdout.write(
                    self.style.WARNING(f"Broken: {article.title} <{article.link_url}>: {result.problem}")
                )
        self.stdout.write(
            f"Checked {len(articles)} article links: {counts[LinkStatus.OK]} working, "
            f"{counts[LinkStatus.BLOCKED]} refusing link checkers, {counts[LinkStatus.BROKEN]} broken."
        )
