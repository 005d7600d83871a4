"""The medical reviewer's approval dialog."""

import datetime

from django import forms
from django.utils import timezone
from wagtail.forms import TaskStateCommentForm

from conditions.review_schedule import twelve_months_after

# The furthest ahead a next review may be set: medical evidence moves on.
LONGEST_UNTIL_NEXT_REVIEW = datetime.timedelta(days=3 * 365)


def a_year_from_today():
    return twelve_months_after(timezone.localdate())


class DatePicker(forms.DateInput):
    """The browser's own date picker (`<input type="date">`): it needs no script, so it works in the
    dialog the dashboard loads (where Wagtail's AdminDateInput script is not on the page), and it
    sends the date as YYYY-MM-DD whatever the reviewer's locale shows."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MedicalApprovalForm(TaskStateCommentForm):
    next_review_due = forms.DateField(
        required=False,
        initial=a_year_from_today,
        widget=DatePicker,
        help_text="When this page must be reviewed again: twelve months from today unless you choose otherwise.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The picker offers only the dates the form accepts.
        today = timezone.localdate()
        self.fields["next_review_due"].widget.attrs.update(
            min=(today + datetime.timedelta(days=1)).isoformat(),
            max=(today + LONGEST_UNTIL_NEXT_REVIEW).isoformat(),
        )

    def clean_next_review_due(self):
        due = self.cleaned_data["next_review_due"]
        if due is None:
            return None  # the approval records twelve months from today
        if due <= timezone.localdate():
            raise forms.ValidationError("The next review must be after today.")
        if due > timezone.localdate() + LONGEST_UNTIL_NEXT_REVIEW:
            raise forms.ValidationError("Choose a date within three years: medical evidence moves on.")
        return due
