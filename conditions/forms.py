"""The medical reviewer's approval dialog."""

import datetime

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput
from wagtail.forms import TaskStateCommentForm

from conditions.review_schedule import twelve_months_after


def a_year_from_today():
    return twelve_months_after(timezone.localdate())


class MedicalApprovalForm(TaskStateCommentForm):
    next_review_due = forms.DateField(
        required=False,
        initial=a_year_from_today,
        widget=AdminDateInput,
        help_text="When this page must be reviewed again: twelve months from today unless you choose otherwise.",
    )

    def clean_next_review_due(self):
        due = self.cleaned_data["next_review_due"]
        if due is None:
            return None  # the approval records twelve months from today
        if due <= timezone.localdate():
            raise forms.ValidationError("The next review must be after today.")
        if due > timezone.localdate() + datetime.timedelta(days=3 * 365):
            raise forms.ValidationError("Choose a date within three years: medical evidence moves on.")
        return due
