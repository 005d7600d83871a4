from django import template

from enquiries.models import ConsultationPage

register = template.Library()


@register.simple_tag
def consultation_page():
    """The live "Book a consultation" page, for the links to it from the header and condition pages."""
    return ConsultationPage.objects.live().only("title", "url_path").first()
