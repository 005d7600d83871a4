from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def second_factor_off():
    """Whether staff sign in with their password alone (development only: production refuses it
    unless told, clinic/settings/production.py)."""
    return not settings.STAFF_SECOND_FACTOR_REQUIRED
