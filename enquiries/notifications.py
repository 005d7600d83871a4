"""Tells the clinic that a consultation request has arrived, without saying anything about the patient.

E-mail crosses servers the clinic does not control, so the message carries only the request's number
and a link to its page in the admin, where staff log in to read it. The link starts with the admin's
base address (WAGTAILADMIN_BASE_URL; in development, the port `make run` serves on).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from wagtail.admin.utils import get_admin_base_url

from core.models import ClinicSettings

logger = logging.getLogger(__name__)


def clinic_address(page):
    """The clinic's e-mail from its site settings, else ENQUIRIES_NOTIFY_EMAIL, else DEFAULT_FROM_EMAIL."""
    return ClinicSettings.email_for(
        page.get_site(), settings.ENQUIRIES_NOTIFY_EMAIL or settings.DEFAULT_FROM_EMAIL
    )


def notify_clinic(submission):
    page = submission.page
    link = get_admin_base_url() + reverse("consultation_requests:edit", args=[submission.pk])
    body = (
        f"A patient has asked the clinic to contact them: consultation request {submission.number}.\n\n"
        f"Read it in the admin (you will be asked to log in):\n{link}\n\n"
        "This e-mail carries no personal or health details on purpose.\n"
    )
    try:
        send_mail(f"New consultation request {submission.number}", body, None, [clinic_address(page)])
    except OSError:
        # The request is stored and listed in the admin; a mail server being down must not turn
        # the patient's thank-you page into an error page.
        logger.exception("Could not send the notification for consultation request %s", submission.number)
