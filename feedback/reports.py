"""What patients said of each page, month by month: the counts and the comments."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from feedback.models import PageFeedback


@dataclass
class PageMonth:
    page_id: int
    page_title: str
    month: object
    yes: int
    no: int
    comments: list = field(default_factory=list)

    @property
    def share_helpful(self):
        return round(100 * self.yes / (self.yes + self.no))


def feedback_per_page_per_month():
    """Newest month first, pages by title within it; two queries whatever the number of rows."""
    by_month = PageFeedback.objects.annotate(month=TruncMonth("created_at"))
    counts = (
        by_month.values("page_id", "page__title", "month")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
        .order_by("-month", "page__title")
    )
    comments = defaultdict(list)
    for comment in (
        by_month.exclude(comment="")
        .order_by("created_at")
        .values("pk", "page_id", "month", "created_at", "helpful", "comment")
    ):
        comments[comment["page_id"], comment["month"]].append(comment)
    return [
        PageMonth(
            row["page_id"],
            row["page__title"],
            row["month"],
            row["yes"],
            row["no"],
            comments[row["page_id"], row["month"]],
        )
        for row in counts
    ]
