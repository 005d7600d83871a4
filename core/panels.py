"""Editor panels any page type may use."""

from wagtail.admin.panels import Panel

from core.reading_age import TARGET_AGES, reading_age_of
from core.wording import flagged_places_of


class ReadingAgePanel(Panel):
    """The page's reading age against the target, and its longest sentences, measured on the
    version last saved (the editor saves a draft to measure again): a warning, never a block."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/admin/reading_age_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["reading_age"] = reading_age_of(self.instance)
            context["target"] = TARGET_AGES
            return context


class WordingPanel(Panel):
    """The sentences that may promise more than the evidence supports, each quoted with its kind of
    claim, the advice, and a link to the field or block that holds it, measured on the version last
    saved. Wagtail's Checks panel could name a flagged sentence only by a CSS selector, so it no
    longer lists them (issue #29); this names each in words. A warning, never a block."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/admin/wording_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["placed"] = flagged_places_of(self.instance) if self.instance.pk else None
            return context
