from django import forms
from wagtail.models import Page

from conditions.models import ConditionPage
from core.validators import validate_longer_answer
from feedback.models import PageFeedback

HELPFUL_CHOICES = [("yes", "Yes"), ("no", "No")]


class PageFeedbackForm(forms.ModelForm):
    page = forms.ModelChoiceField(queryset=Page.objects.none(), widget=forms.HiddenInput)
    helpful = forms.TypedChoiceField(
        label="Was this page helpful?",
        choices=HELPFUL_CHOICES,
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    comment = forms.CharField(
        label="Tell us more",
        required=False,
        max_length=1000,
        validators=[validate_longer_answer],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Please don't include your name, contact details or anything about your health: we "
        "can't reply here. To ask us something, book a consultation.",
    )

    class Meta:
        model = PageFeedback
        fields = ["page", "helpful", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # Only live, public condition pages ask for feedback (looked up per form: it reads
            # content types). An empty form, on every condition page, has nothing to check.
            self.fields["page"].queryset = Page.objects.live().public().type(ConditionPage)
