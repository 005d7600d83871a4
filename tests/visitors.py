from importlib import import_module

from django.conf import settings


def with_a_session():
    """Request headers of a visitor whose session holds something (as staff's or an unlocked
    private page's does): the page cache always renders their pages afresh."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["measuring"] = True
    session.save()
    return {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
