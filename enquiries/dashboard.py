"""The dashboard panel "N new requests": the requests nobody has handled yet, oldest first, those
waiting longer than two working days marked."""

import datetime

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from enquiries.models import ConsultationRequest, RequestStatus

WORKING_DAYS_TO_ANSWER = 2
LISTED = 10


def working_days_before(moment, days):
    """The same time of day `days` working days (Monday to Friday) before `moment`, on the clinic's clock."""
    moment = timezone.localtime(moment)
    while days:
        moment -= datetime.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class NewRequestsPanel(Component):
    name = "new_consultation_requests"
    order = 50
    template_name = "enquiries/inbox/new_requests_panel.html"

    def get_context_data(self, parent_context):
        waiting = ConsultationRequest.objects.filter(status=RequestStatus.NEW).order_by("submit_time", "pk")
        overdue_before = working_days_before(timezone.now(), WORKING_DAYS_TO_ANSWER)
        requests = list(waiting.only("pk", "submit_time", "patient_name", "condition")[:LISTED])
        for request in requests:
            request.overdue = request.submit_time < overdue_before
        index = reverse("consultation_requests:index")
        return {
            "count": waiting.count(),
            "overdue_count": waiting.filter(submit_time__lt=overdue_before).count(),
            "requests": requests,
            "inbox_url": f"{index}?status={RequestStatus.NEW}",
        }
