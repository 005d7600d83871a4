"""The articles' forms: the editor's article form and the patients' filter on /articles/."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from articles.identifiers import WEB_ADDRESS_MESSAGE

IDENTIFIER_FIELDS = ("doi", "pmid", "nct_id")


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Say what a good address looks like rather than Django's bare "Enter a valid URL."
        self.fields["external_url"].error_messages["invalid"] = WEB_ADDRESS_MESSAGE
        if self.instance.pk:
            # "Look up" beside each identifier does not count the article itself as a duplicate.
            for name in IDENTIFIER_FIELDS:
                self.fields[name].widget.attrs["data-look-up-article"] = self.instance.pk


class ArticleFilterForm(forms.Form):
    """A plain GET form, which works without JavaScript. Its choices are the only values it takes:
    the page answers anything else as not found."""

    condition = forms.ChoiceField(label="Condition", required=False)
    kind = forms.ChoiceField(label="Kind of evidence", required=False)

    def __init__(self, data, *, conditions, kinds):
        super().__init__(data)
        # Choices are checked in memory: whatever is in the query string never reaches a database query.
        self.condition_ids = {condition.slug: condition.pk for condition in conditions}
        self.fields["condition"].choices = [("", "All conditions")] + [(c.slug, c.title) for c in conditions]
        self.fields["kind"].choices = [("", "All kinds of evidence"), *kinds]

    def filter(self, articles):
        """`articles` narrowed by the choices of this valid form."""
        if slug := self.cleaned_data["condition"]:
            articles = articles.filter(conditions=self.condition_ids[slug])
        if kind := self.cleaned_data["kind"]:
            articles = articles.filter(kind=kind)
        return articles

    @property
    def is_filtering(self):
        return bool(self.cleaned_data["condition"] or self.cleaned_data["kind"])
