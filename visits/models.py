"""Marketing's numbers (#32): counts per day, and nothing about anyone.

Each row is one count on one day: the views of a page, the outside links followed from an article,
the consultation requests sent from a page, the requests for an address that does not exist, the
visits from another site (its host name only), the visits on a phone or a desktop. No row names a
visitor: there is no address, browser, cookie or identifier here, and no unique visitors either.
"""

from django.db import models


class Kind(models.TextChoices):
    VIEW = "view", "page view"
    OUTBOUND = "outbound", "outside article link followed"
    REQUEST = "request", "consultation request, by the page it came from"
    NOT_FOUND = "not_found", "address not found"
    REFERRER = "referrer", "visit from another site"
    DEVICE = "device", "phone or desktop"


class DailyCount(models.Model):
    """One count for one day. The nightly roll-up sets `rolled_up` to the day's total in Redis (so
    running it twice, or on two servers at once, sets the same number); `counted_directly` holds
    what was counted while Redis was not there. The day's count is their sum."""

    day = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A page's id, an address's path (at most 200 characters), a host name, "phone" or "desktop".
    key = models.CharField(max_length=255, blank=True)
    rolled_up = models.PositiveIntegerField(default=0)
    counted_directly = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "key"], name="one_count_per_day_kind_key")
        ]
        indexes = [models.Index(fields=["kind", "day"])]
        verbose_name = "daily count"

    def __str__(self):
        return f"{self.day} {self.kind} {self.key}: {self.count}"

    @property
    def count(self):
        return self.rolled_up + self.counted_directly
