import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from enquiries.models import ConsultationRequest


def sent_from(email):
    """The requests in which any answer is this e-mail address (any letter case).

    Every answer is checked, not only today's e-mail field: staff may have renamed or replaced the
    field since, and a request to be forgotten must not miss anything.
    """
    wanted = email.strip().casefold()
    matching = [
        pk
        for pk, form_data in ConsultationRequest.objects.values_list("pk", "form_data").iterator()
        if any(
            isinstance(answer, str) and answer.strip().casefold() == wanted for answer in form_data.values()
        )
    ]
    return ConsultationRequest.objects.filter(pk__in=matching)


def delete_logged(requests, action):
    """Delete the requests, each leaving a line in its history (Wagtail's log) that says why."""
    with transaction.atomic():
        for request in requests.only("pk"):
            log(request, action, deleted=True)
        _, deleted = requests.delete()
    # The count of requests alone: their notes go with them.
    return deleted.get(ConsultationRequest._meta.label, 0)


class Command(BaseCommand):
    help = (
        "Delete consultation requests older than ENQUIRY_RETENTION_DAYS, or (with --email) every request "
        "sent with one e-mail address, for a person who asks to be forgotten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--email", help="Delete every request that gave this e-mail address, whatever its age."
        )

    def handle(self, *args, email=None, **options):
        if email is not None:
            try:
                validate_email(email)
            except ValidationError as invalid:
                raise CommandError(f"{email!r} is not an e-mail address.") from invalid
            deleted = delete_logged(sent_from(email), "enquiries.forget")
            self.stdout.write(f"Deleted {deleted} consultation request(s) sent with {email}.")
            return
        days = settings.ENQUIRY_RETENTION_DAYS
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted = delete_logged(
            ConsultationRequest.objects.filter(submit_time__lt=cutoff), "enquiries.retention"
        )
        self.stdout.write(
            f"Deleted {deleted} consultation request(s) older than {days} days "
            f"(sent before {timezone.localtime(cutoff):%Y-%m-%d %H:%M})."
        )
