"""What a medical review changes in the pages the cache in front keeps (see core.cache_invalidation)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from conditions.models import MedicalReview
from core.cache_invalidation import forget, page_changed


@receiver(post_save, sender=MedicalReview)
def on_review_recorded(sender, instance, **kwargs):
    """A page shows its latest review; the reviewer's profile lists the pages they reviewed."""
    if instance.page.live:
        page_changed(instance.page)
    forget({instance.reviewer.get_absolute_url()})
