"""The condition page editor's own panels."""

from wagtail.admin.panels import Panel

from conditions.sections import missing_sections


class MissingSectionsPanel(Panel):
    """The recommended sections the page still lacks, measured on the version last saved: a
    reminder, never a block (a page may rightly go without one until the clinic can write it)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "conditions/admin/missing_sections_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["missing"] = missing_sections(self.instance)
            return context
