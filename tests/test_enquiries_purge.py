import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from enquiries.models import ConsultationRequest, RequestNote
from tests.enquiry_forms import stored_request


@pytest.fixture
def make_request(db):
    def make(days_old, email="someone@example.com", **answers):
        return stored_request(
            timezone.now() - datetime.timedelta(days=days_old), e_mail_address=email, **answers
        )

    return make


def purge(*args):
    from io import StringIO

    out = StringIO()
    call_command("purge_enquiries", *args, stdout=out)
    return out.getvalue()


def remaining():
    return set(ConsultationRequest.objects.values_list("pk", flat=True))


def test_requests_past_the_retention_period_are_deleted(make_request):
    old = [make_request(400), make_request(366)]
    recent = [make_request(364), make_request(0)]
    output = purge()
    assert remaining() == {r.pk for r in recent}
    assert "Deleted 2 consultation request(s) older than 365 days" in output
    assert all(r.pk not in remaining() for r in old)


def test_the_retention_period_is_a_setting(make_request, settings):
    settings.ENQUIRY_RETENTION_DAYS = 30
    kept, _ = make_request(29), make_request(31)
    assert "older than 30 days" in purge()
    assert remaining() == {kept.pk}


def test_forgetting_an_address_deletes_all_its_requests_whatever_their_age(make_request):
    theirs = [make_request(1, "Pat@Example.com"), make_request(300, "pat@example.com ")]
    moved_field = make_request(2, "someone@example.com", old_email_field="pat@example.com")
    others = [make_request(1, "someone@example.com"), make_request(1, "pat@example.com.evil")]
    output = purge("--email", "pat@example.com")
    assert remaining() == {r.pk for r in others}
    assert moved_field.pk not in remaining() and all(r.pk not in remaining() for r in theirs)
    assert output.strip() == "Deleted 3 consultation request(s) sent with pat@example.com."


def test_forgetting_an_unknown_address_deletes_nothing_and_says_so(make_request):
    make_request(1)
    assert "Deleted 0 consultation request(s)" in purge("--email", "nobody@example.com")
    assert len(remaining()) == 1


def test_an_address_that_is_not_one_is_refused(make_request):
    make_request(1)
    with pytest.raises(CommandError, match="is not an e-mail address"):
        purge("--email", "not an address")
    assert len(remaining()) == 1


def test_each_deletion_is_recorded_with_its_reason_and_the_notes_go_too(make_request):
    old, theirs = make_request(400), make_request(1, "pat@example.com")
    old.notes.create(text="Called twice, no answer.")
    purge()
    purge("--email", "pat@example.com")
    assert not RequestNote.objects.exists()
    reasons = dict(
        ModelLogEntry.objects.filter(action__startswith="enquiries.").values_list("object_id", "action")
    )
    assert reasons == {str(old.pk): "enquiries.retention", str(theirs.pk): "enquiries.forget"}
    entry = ModelLogEntry.objects.get(object_id=str(old.pk))
    assert entry.message == "Deleted after the retention period" and entry.deleted
