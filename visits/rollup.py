"""Copying the days Redis holds into DailyCount (`manage.py roll_up_visits`, daily).

Each count is *set* to Redis's total for its day, never added to, in one upsert per day and kind:
running it twice, or on several servers at once, leaves the same numbers. Redis keeps each day
KEEP_DAYS days, so a roll-up that did not run one night copies that day the next.
"""

from datetime import date

from django.conf import settings
from django.db import transaction

from visits.counting import redis_client
from visits.models import DailyCount, Kind


def roll_up():
    """The number of counts written. Without Redis there is nothing to copy: counts are in the database."""
    client = redis_client()
    if client is None:
        return 0
    prefix = settings.VISITS_KEY_PREFIX
    written = 0
    for name in client.scan_iter(match=f"{prefix}:*", count=500):
        name = name.decode()
        try:
            day_text, kind = name[len(prefix) + 1 :].split(":")
            day = date.fromisoformat(day_text)
        except ValueError:
            continue
        if kind not in Kind.values:
            continue
        counts = [
            DailyCount(day=day, kind=kind, key=key.decode()[:255], rolled_up=int(total))
            for key, total in client.hgetall(name).items()
        ]
        with transaction.atomic():
            DailyCount.objects.bulk_create(
                counts,
                update_conflicts=True,
                unique_fields=["day", "kind", "key"],
                update_fields=["rolled_up"],
            )
        written += len(counts)
    return written
