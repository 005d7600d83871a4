"""What patients answer to "Was this page helpful?": yes or no and, if they like, a comment. No
personal data is asked for; the sender is kept only as a keyed hash of the address (core.rate_limit),
to count what one address sends while the cache is down."""

from django.db import models


class PageFeedback(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    sender = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.page}"
